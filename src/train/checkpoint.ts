import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackendName } from '../backends/types.js';
import { dropoutCounters, restoreDropoutCounters } from '../models/dropout.js';
import type { ModelName } from '../models/registry.js';
import { writeFileAtomic } from '../util/atomic_write.js';
import { UserError } from '../util/user_error.js';
import type { TrainConfig } from './config.js';
import type { DataIdentity } from './data_identity.js';
import type { FitState } from './fit.js';
import type { ReportModel } from './report.js';

/** The folder a run keeps its checkpoint in, inside its output folder. */
export const CHECKPOINT_FOLDER = 'checkpoint';
/** Written last and renamed into place: the checkpoint is whatever this file describes. */
const MANIFEST = 'checkpoint.json';

/** Where one tensor lies in a checkpoint's weights file. */
export interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  byteOffset: number;
}

/** The network in training when the checkpoint was written, and everything needed to go on with it. */
export interface ModelInProgress {
  name: ModelName;
  fit: FitState;
  /** Each dropout layer's training-call counter, which picks its next mask. */
  dropoutCounters: number[];
  /** The weights file, beside the manifest. */
  file: string;
  /** The model's weights, in `model.getWeights()` order. */
  weights: TensorEntry[];
  /** RMSprop's iteration count and per-variable mean squares (and moments), in `getWeights()` order. */
  optimizer: TensorEntry[];
}

/** A run as far as it got: `checkpoint/checkpoint.json`. */
export interface Checkpoint {
  version: 1;
  /** The run's settings; a resume takes all of them from here. */
  config: TrainConfig;
  /** The backend `--backend` resolved to, and its threads, which a resume starts again. */
  backend: { name: BackendName; threads: number };
  data: DataIdentity;
  /** Networks already trained, saved in the output folder and scored, as the report will show them. */
  finished: Partial<Record<ModelName, ReportModel>>;
  /** null between two networks. */
  current: ModelInProgress | null;
  /** Counts weights files written, so each has a new name and the manifest never names one being written. */
  sequence: number;
}

/** The checkpoint folder of an output folder. */
export function checkpointDir(out: string): string {
  return join(out, CHECKPOINT_FOLDER);
}

/**
 * Keeps a run's checkpoint up to date. Each save writes a new weights file, then replaces the manifest by
 * an atomic rename, then deletes what the manifest no longer names: a process stopped at any moment
 * leaves the previous checkpoint or the new one, never a mixture.
 */
export class CheckpointWriter {
  constructor(
    readonly dir: string,
    private manifest: Checkpoint,
  ) {}

  /** Networks finished so far. */
  get finished(): Checkpoint['finished'] {
    return this.manifest.finished;
  }

  /** Records a network as finished: its files are saved and its report entry is final. */
  async finish(name: ModelName, entry: ReportModel): Promise<void> {
    await this.commit({ ...this.manifest, finished: { ...this.manifest.finished, [name]: entry }, current: null });
  }

  /** Saves the network in training: its weights, optimizer state and dropout counters, with the fit's state. */
  async save(name: ModelName, model: tfl.LayersModel, fit: FitState): Promise<void> {
    const sequence = this.manifest.sequence + 1;
    const file = `weights-${String(sequence).padStart(6, '0')}.bin`;
    const weights = model.getWeights().map((tensor, i) => ({ name: model.weights[i]!.originalName, tensor }));
    const optimizer = await model.optimizer.getWeights();
    try {
      await mkdir(this.dir, { recursive: true });
      const handle = await open(join(this.dir, file), 'w');
      let byteOffset = 0;
      const write = async (list: { name: string; tensor: tf.Tensor }[]): Promise<TensorEntry[]> => {
        const entries: TensorEntry[] = [];
        for (const { name: tensorName, tensor } of list) {
          if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') throw new Error(`checkpoint: ${tensorName} is ${tensor.dtype}`);
          const values = (await tensor.data()) as Float32Array | Int32Array;
          await handle.write(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
          entries.push({ name: tensorName, shape: tensor.shape, dtype: tensor.dtype, byteOffset });
          byteOffset += values.byteLength;
        }
        return entries;
      };
      try {
        const current: ModelInProgress = {
          name,
          fit,
          dropoutCounters: dropoutCounters(model),
          file,
          weights: await write(weights),
          optimizer: await write(optimizer),
        };
        await handle.close();
        await this.commit({ ...this.manifest, sequence, current });
      } catch (error) {
        await handle.close();
        throw error;
      }
    } finally {
      // getWeights makes a fresh scalar for the iteration count; the rest are the optimizer's own variables.
      optimizer
        .filter((w) => w.name === 'iter')
        .forEach((w) => {
          w.tensor.dispose();
        });
    }
  }

  /** Deletes the checkpoint: the run it belongs to is complete. */
  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private async commit(manifest: Checkpoint): Promise<void> {
    await writeFileAtomic(join(this.dir, MANIFEST), `${JSON.stringify(manifest)}\n`);
    this.manifest = manifest;
    // Older weights files, and temporary files of writes that a killed process left behind.
    for (const entry of await readdir(this.dir)) {
      if (entry !== MANIFEST && entry !== manifest.current?.file) await rm(join(this.dir, entry), { recursive: true, force: true });
    }
  }
}

/** Reads the checkpoint of the run in `out`, or says in one sentence why it cannot be resumed. */
export async function readCheckpoint(out: string): Promise<Checkpoint> {
  const path = join(checkpointDir(out), MANIFEST);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UserError(`${out} has no checkpoint to resume from (no ${path}; a completed run deletes its checkpoint)`);
  }
  let manifest: Checkpoint;
  try {
    manifest = JSON.parse(text) as Checkpoint;
  } catch {
    throw new UserError(`${path} is not valid JSON`);
  }
  if (manifest?.version !== 1 || typeof manifest.config !== 'object' || typeof manifest.data?.sha256 !== 'string') {
    throw new UserError(`${path} is not a checkpoint this version can resume`);
  }
  return manifest;
}

/**
 * Puts a checkpoint's network state into a freshly built and compiled copy of that network: weights,
 * optimizer state and dropout counters, so that its next training step is the one the checkpoint interrupted.
 */
export async function restoreModelState(out: string, current: ModelInProgress, model: tfl.LayersModel): Promise<void> {
  const path = join(checkpointDir(out), current.file);
  const bytes = await readFile(path).catch(() => {
    throw new UserError(`${path} is missing: the checkpoint is incomplete`);
  });
  const all = [...current.weights, ...current.optimizer];
  const expected = all.reduce((sum, e) => sum + tf.util.sizeFromShape(e.shape) * 4, 0);
  if (bytes.byteLength !== expected) throw new UserError(`${path} holds ${bytes.byteLength} bytes, not the ${expected} its manifest describes`);
  const tensorOf = (e: TensorEntry): tf.Tensor => {
    const size = tf.util.sizeFromShape(e.shape);
    // Copied out of the file's buffer, which need not be 4-byte aligned.
    const raw = bytes.buffer.slice(bytes.byteOffset + e.byteOffset, bytes.byteOffset + e.byteOffset + size * 4);
    return tf.tensor(e.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw), e.shape, e.dtype);
  };
  const weights = current.weights.map(tensorOf);
  const optimizer = current.optimizer.map((e) => ({ name: e.name, tensor: tensorOf(e) }));
  try {
    model.setWeights(weights);
    await model.optimizer.setWeights(optimizer);
  } finally {
    tf.dispose([...weights, ...optimizer.map((w) => w.tensor)]);
  }
  restoreDropoutCounters(model, current.dropoutCounters);
}
