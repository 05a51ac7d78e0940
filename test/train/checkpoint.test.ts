// Checkpoints in process: what is saved comes back equal, a fit paused and resumed from a checkpoint
// trains to the very numbers of one never paused, and the folder never holds a mixture of two saves.

import { mkdtempSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ActiveBackend } from '../../src/backends/types.js';
import { openWasm } from '../../src/backends/wasm.js';
import { PIXELS } from '../../src/data/dataset.js';
import { inOrder, type Prepared, type Split, splitOf } from '../../src/data/preprocess.js';
import { dropoutCounters } from '../../src/models/dropout.js';
import { buildModel } from '../../src/models/registry.js';
import { BatchMaker } from '../../src/train/batch.js';
import { type Checkpoint, CheckpointWriter, checkpointDir, readCheckpoint, restoreModelState } from '../../src/train/checkpoint.js';
import { compileForTraining } from '../../src/train/compile.js';
import { DEFAULT_CONFIG } from '../../src/train/config.js';
import { TrainingDiverged } from '../../src/train/divergence.js';
import { type FitOptions, type FitState, fit } from '../../src/train/fit.js';
import { silentProgress } from '../../src/train/progress.js';
import { seededRandom } from '../../src/util/random.js';

let backend: ActiveBackend;
beforeAll(async () => {
  backend = await openWasm({ threads: 1 });
});
afterAll(async () => {
  await backend.close();
});

/** Sparse random pixels (never all zero) and labels cycling through the classes. */
function split(count: number, seed: number): Split {
  const r = seededRandom(seed);
  const x = new Float32Array(count * PIXELS).map(() => (r() < 0.1 ? r() : 0));
  const labels = new Uint8Array(count).map((_, i) => i % 36);
  return splitOf({ pixels: x, labels });
}

const data: Prepared = { train: split(80, 1), test: split(24, 2), seconds: 0, imagesPerSecond: 0 };
// 80 samples in batches of 32: two full batches and a short one per epoch.
const options: FitOptions = { epochs: 3, batchSize: 32, patience: 1, seed: 7, images: false };

function freshModel(): tfl.LayersModel {
  const model = buildModel('fc', 5);
  compileForTraining(model, 0.001);
  return model;
}

function manifestBase(): Checkpoint {
  return {
    version: 1,
    config: DEFAULT_CONFIG,
    backend: { name: 'wasm', threads: 1 },
    data: { source: 'test', samples: 104, train: 80, test: 24, sha256: 'x' },
    finished: {},
    current: null,
    sequence: 0,
  };
}

/** Every value of the model's weights and of its optimizer's state, as plain arrays. */
async function stateOf(model: tfl.LayersModel): Promise<{ weights: Float32Array[]; optimizer: { name: string; values: number[] }[] }> {
  const optimizer = await model.optimizer.getWeights();
  return {
    weights: model.getWeights().map((t) => t.dataSync() as Float32Array),
    optimizer: optimizer.map((w) => ({ name: w.name, values: Array.from(w.tensor.dataSync()) })),
  };
}

describe('checkpoint round trip', () => {
  test('weights, optimizer state and dropout counters come back equal, and the next step is the same', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const model = freshModel();
    const controlState: FitState = { epoch: 2, done: 32, lossSum: 1.25, accSum: 3, seconds: 0.5, history: [], earlyStopping: { best: null, wait: 0 } };
    const batches = new BatchMaker(data.train, false, 32);
    // Two steps, so that the mean squares and dropout counters are no longer their initial values.
    for (let i = 0; i < 2; i++) {
      const { xs, ys } = batches.make(inOrder(80), i * 32, 32);
      await model.trainOnBatch(xs, ys);
      tf.dispose([xs, ys]);
    }
    const writer = new CheckpointWriter(checkpointDir(out), manifestBase());
    await writer.save('fc', model, controlState);

    const manifest = await readCheckpoint(out);
    expect(manifest.current?.fit).toEqual(controlState);
    expect(manifest.current?.dropoutCounters).toEqual([2, 2, 2, 2]);
    const copy = freshModel();
    await restoreModelState(out, manifest.current!, copy);
    const [a, b] = [await stateOf(model), await stateOf(copy)];
    expect(b.weights).toEqual(a.weights);
    expect(b.optimizer).toEqual(a.optimizer);
    expect(a.optimizer.some((w) => w.values.some((v) => v !== 0))).toBe(true);
    expect(dropoutCounters(copy)).toEqual(dropoutCounters(model));

    const { xs, ys } = batches.make(inOrder(80), 64, 16);
    const [lossA] = (await model.trainOnBatch(xs, ys)) as number[];
    const [lossB] = (await copy.trainOnBatch(xs, ys)) as number[];
    tf.dispose([xs, ys]);
    expect(lossB).toBe(lossA);
    expect((await stateOf(copy)).weights).toEqual((await stateOf(model)).weights);
    // The FC net trains on tfjs's plain-JS cpu backend here: 35 s alone, past 120 s on a machine this busy.
  }, 300_000);

  test('each save replaces the last whole: one weights file, named by the manifest, and no leftovers', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const dir = checkpointDir(out);
    const model = freshModel();
    const writer = new CheckpointWriter(dir, manifestBase());
    const state: FitState = { epoch: 1, done: 0, lossSum: 0, accSum: 0, seconds: 0, history: [], earlyStopping: { best: null, wait: 0 } };
    await writer.save('fc', model, state);
    writeFileSync(join(dir, '.checkpoint.json.partial-99999'), '{"half":');
    await writer.save('fc', model, { ...state, done: 32 });
    expect(readdirSync(dir).sort()).toEqual(['checkpoint.json', 'weights-000002.bin']);
    expect((await readCheckpoint(out)).current?.fit.done).toBe(32);

    await writer.finish('fc', { parameters: 1, history: [], stoppedEarly: false, test: { loss: 1, acc: 0.5 }, path: 'fc' });
    expect(readdirSync(dir)).toEqual(['checkpoint.json']);
    expect((await readCheckpoint(out)).finished.fc?.test.acc).toBe(0.5);
  });

  test('a missing or damaged checkpoint is one sentence naming the file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ckpt-'));
    await expect(readCheckpoint(out)).rejects.toThrow(/has no checkpoint to resume from/);
    const writer = new CheckpointWriter(checkpointDir(out), manifestBase());
    const model = freshModel();
    await writer.save('fc', model, { epoch: 1, done: 0, lossSum: 0, accSum: 0, seconds: 0, history: [], earlyStopping: { best: null, wait: 0 } });
    const manifest = await readCheckpoint(out);
    truncateSync(join(checkpointDir(out), manifest.current!.file), 1000);
    await expect(restoreModelState(out, manifest.current!, freshModel())).rejects.toThrow(/weights-000001\.bin holds 1000 bytes, not the \d+/);
  });
});

describe('a fit paused and resumed', () => {
  test.each([1, 3, 5])('after %i batches ends with the same history and weights as one never paused', async (pauseAfter) => {
    const whole = freshModel();
    const expected = await fit(whole, data, options, silentProgress);

    const out = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const writer = new CheckpointWriter(checkpointDir(out), manifestBase());
    const first = freshModel();
    let batches = 0;
    const paused = await fit(first, data, options, silentProgress, {
      pauseRequested: () => batches >= pauseAfter,
      save: (state) => writer.save('fc', first, state),
      afterBatch: () => void batches++,
    });
    expect(paused.interrupted).toBe(true);

    const manifest = await readCheckpoint(out);
    expect(manifest.current!.fit.epoch).toBe(Math.floor(pauseAfter / 3) + 1);
    const second = freshModel();
    await restoreModelState(out, manifest.current!, second);
    const resumed = await fit(second, data, options, silentProgress, {
      resumeFrom: manifest.current!.fit,
      pauseRequested: () => false,
      save: (state) => writer.save('fc', second, state),
    });
    const metrics = (r: typeof expected) => r.history.map(({ loss, acc, valLoss, valAcc }) => ({ loss, acc, valLoss, valAcc }));
    expect(metrics(resumed)).toEqual(metrics(expected));
    expect(resumed.stoppedEarly).toBe(expected.stoppedEarly);
    expect((await stateOf(second)).weights).toEqual((await stateOf(whole)).weights);
  });
});

describe('divergence', () => {
  test('a learning rate so large the weights overflow stops the fit, naming epoch and batch, before any bad save', async () => {
    const model = buildModel('fc', 5);
    compileForTraining(model, 1e30);
    const saves: FitState[] = [];
    const error = await fit(model, data, options, silentProgress, {
      pauseRequested: () => false,
      save: async (state) => void saves.push(structuredClone(state)),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDiverged);
    const { epoch, batch } = error as TrainingDiverged;
    expect((error as Error).message).toMatch(
      new RegExp(`^(loss became (NaN|-?Infinity)|the weights became NaN or infinite) at epoch ${epoch} batch ${batch}$`),
    );
    // Only the starting state was saved: the weights blew up within the first epoch.
    expect(saves).toEqual([expect.objectContaining({ epoch: 1, done: 0 })]);
    expect([epoch, batch]).toEqual([1, 2]);
  });
});
