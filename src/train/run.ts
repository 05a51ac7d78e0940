import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from '../backends/select.js';
import { stockWasmTrainsConv } from '../backends/tfjs_wasm.js';
import { preprocess } from '../data/preprocess.js';
import { firstImages, loadSource } from '../data/source.js';
import { saveKerasH5 } from '../export/keras_h5.js';
import type { ModelName } from '../models/registry.js';
import { type ReportedModel, writeRunReport } from '../report/write_run_report.js';
import { UserError } from '../util/user_error.js';
import { CheckpointWriter, checkpointDir, readCheckpoint } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import { identifyData } from './data_identity.js';
import { TrainingDiverged } from './divergence.js';
import { errorReduction } from './error_reduction.js';
import type { TrainEvent } from './events.js';
import { modelFolder, saveModel } from './model_files.js';
import { type Progress, silentProgress } from './progress.js';
import { describeMachine, type Report, reportEpoch, writeReport } from './report.js';
import { resumeConfig } from './resume_config.js';
import { trainModel } from './train_model.js';

/** Where a run's output goes and how it can be stopped; everything but `events` may be left out. */
export interface RunOptions {
  /** Told everything a user hears about, in order; `epoch` events come after the progress output's epoch line. */
  events: (event: TrainEvent) => void;
  /**
   * Stops the run at its next safe point: before training begins, with nothing written (threads already
   * generating or preprocessing data run on until they finish or the process exits); during training,
   * between two batches, once a checkpoint is saved. Once every network is trained, the run completes.
   */
  signal?: AbortSignal;
  /** Narration in Keras's words (model summaries, test scores, resume notes); by default nowhere. */
  log?: (line: string) => void;
  /** Where one network's training progress goes (a live bar, per-epoch lines); by default nowhere. */
  progress?: (model: ModelName) => Progress;
  /** Counts images while the built-in data set is generated. */
  generationProgress?: (done: number, total: number) => void;
  /** Told after every training batch. */
  afterBatch?: () => void;
}

/** How a run ended, when it did not throw. */
export type RunOutcome =
  /** Every network trained, and `report` was written as `out/report.json` with the models beside it. */
  | { status: 'completed'; out: string; report: Report }
  /** Stopped during training with a checkpoint in `checkpointDir`, which a run of `{ resume: out }` continues. */
  | { status: 'interrupted'; out: string; checkpointDir: string }
  /** Stopped before training began; nothing was written. */
  | { status: 'cancelled' };

/** Thrown out of setup work when the signal aborts it, so that the run can say it stopped before training. */
class Cancelled extends Error {
  override name = 'Cancelled';
}

/**
 * Starts `work` unless the signal has aborted, and rejects with `Cancelled` as soon as it aborts; work
 * already under way runs on (a command exits, which ends it).
 */
function unlessAborted<T>(work: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work();
  if (signal.aborted) return Promise.reject(new Cancelled());
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(new Cancelled());
    signal.addEventListener('abort', abort, { once: true });
    work()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * Runs training as `npm run train` does: starts the backend, loads or generates the data, preprocesses it,
 * trains and scores each network with checkpoints, and writes the models, `report.json`, the pictures and
 * `report.md` into the output folder. `requested.resume` continues an interrupted run from its checkpoint, with
 * the checkpoint's settings. A problem the user can fix throws `UserError`; the backend is closed on every path.
 */
export async function runTraining(requested: TrainConfig, options: RunOptions): Promise<RunOutcome> {
  const { events, signal } = options;
  const log = options.log ?? (() => {});
  const progressOf = options.progress ?? (() => silentProgress);
  const resumed = requested.resume === undefined ? undefined : await readCheckpoint(requested.resume);
  const config = resumed === undefined ? requested : resumeConfig(requested, resumed, requested.resume!);
  const out = config.out ?? join('runs', new Date().toISOString().replace(/[:.]/g, '-'));

  // The backend starts first, so that one that cannot start fails before minutes of data generation.
  // A resume starts the backend `auto` chose then: another one would round differently.
  const selection = await selectBackend(resumed?.backend.name ?? config.backend, { threads: config.threads });
  const backend = selection.backend;
  try {
    events({
      event: 'backend',
      name: backend.name,
      tfjsName: backend.tfjsName,
      threads: backend.threads,
      detail: backend.detail,
      selection: selection.line,
    });
    const loadStart = performance.now();
    const source = { data: config.data, samples: config.samples, seed: config.seed, threads: config.threads };
    const raw = firstImages(
      await unlessAborted(() => loadSource(options.generationProgress === undefined ? source : { ...source, onProgress: options.generationProgress }), signal),
      config.limit,
    );
    events({ event: 'data', source: raw.source, images: raw.count, seconds: (performance.now() - loadStart) / 1000 });
    const data = await unlessAborted(async () => preprocess(raw, { testSplit: config.testSplit, seed: config.seed }), signal);
    events({
      event: 'preprocessed',
      images: raw.count,
      train: data.train.count,
      test: data.test.count,
      seconds: data.seconds,
      imagesPerSecond: data.imagesPerSecond,
      threads: config.threads,
    });

    let models: ModelName[] = config.models;
    if (backend.name === 'tfjs-wasm' && models.includes('cnn') && !stockWasmTrainsConv()) {
      events({ event: 'warning', message: 'tfjs-wasm cannot train the CNN: the stock backend has no Conv2DBackpropFilter kernel; skipping cnn' });
      models = models.filter((m) => m !== 'cnn');
    }
    const identity = identifyData(raw.source, data);
    const checkpoint = new CheckpointWriter(
      checkpointDir(out),
      resumed ?? { version: 1, config, backend: { name: backend.name, threads: backend.threads }, data: identity, finished: {}, current: null, sequence: 0 },
    );
    if (resumed !== undefined && resumed.data.sha256 !== identity.sha256) {
      throw new UserError(`${checkpoint.dir} was written for other data than ${raw.source} now gives (its checksum differs); a resume needs the same data`);
    }
    // Every model trained or resumed, kept for the pictures drawn once the report is written.
    const drawn: ReportedModel[] = [];
    for (const name of models) {
      events({ event: 'model', model: name });
      const earlier = checkpoint.finished[name];
      if (earlier !== undefined) {
        log(`trained before the interruption, saved in ${join(out, earlier.path)}/`);
        drawn.push({ name, model: await tfl.loadLayersModel(modelFolder(join(out, earlier.path))) });
        events({ event: 'test', model: name, ...earlier.test, epochs: earlier.history.length, stoppedEarly: earlier.stoppedEarly });
        continue;
      }
      const shown = progressOf(name);
      const progress: Progress = {
        batch: (...figures) => shown.batch(...figures),
        epoch(record, epochs) {
          shown.epoch(record, epochs);
          events({ event: 'epoch', model: name, epochs, ...reportEpoch(record) });
        },
      };
      const t = await trainModel(name, data, config, progress, log, {
        out,
        writer: checkpoint,
        resume: resumed?.current?.name === name ? resumed.current : undefined,
        pauseRequested: () => signal?.aborted === true,
        ...(options.afterBatch === undefined ? {} : { afterBatch: options.afterBatch }),
      }).catch((error: unknown) => {
        if (!(error instanceof TrainingDiverged)) throw error;
        throw new UserError(`${name}: ${error.message}; the last good checkpoint is in ${checkpoint.dir}`, { cause: error });
      });
      if (t === 'interrupted') return { status: 'interrupted', out, checkpointDir: checkpoint.dir };
      events({ event: 'test', model: name, ...t.test, epochs: t.fit.history.length, stoppedEarly: t.fit.stoppedEarly });
      // Saved as soon as trained, so that a checkpoint need only name it.
      await saveModel(t.model, join(out, t.name));
      await saveKerasH5(t.model, join(out, `${t.name}.h5`));
      drawn.push({ name, model: t.model });
      await checkpoint.finish(name, {
        parameters: t.model.countParams(),
        history: t.fit.history.map(reportEpoch),
        stoppedEarly: t.fit.stoppedEarly,
        test: t.test,
        path: t.name,
      });
    }
    const { fc, cnn } = checkpoint.finished;
    const reduction = fc && cnn ? errorReduction(fc.test.acc, cnn.test.acc) : null;
    if (reduction !== null) events({ event: 'error_reduction', percent: reduction });

    const report: Report = {
      version: 1,
      createdAt: new Date().toISOString(),
      config,
      data: {
        source: raw.source,
        samples: raw.count,
        train: data.train.count,
        test: data.test.count,
        preprocessSeconds: data.seconds,
        preprocessImagesPerSecond: data.imagesPerSecond,
      },
      backend: { name: backend.name, tfjsName: backend.tfjsName, detail: backend.detail, threads: backend.threads, selection: selection.line },
      machine: describeMachine(),
      models: checkpoint.finished,
      errorReduction: reduction,
    };
    await writeReport(join(out, 'report.json'), report);
    // report.md comes last, so that it exists only once every file it links does.
    const written = await writeRunReport(out, report, drawn, data);
    await checkpoint.remove();
    const trained = Object.keys(checkpoint.finished);
    events({
      event: 'saved',
      out,
      models: Object.fromEntries(trained.map((n) => [n, join(out, n)])),
      report: join(out, 'report.json'),
      keras: Object.fromEntries(trained.map((n) => [n, join(out, `${n}.h5`)])),
      pictures: written.slice(0, -1),
      page: written.at(-1)!,
    });
    return { status: 'completed', out, report };
  } catch (error) {
    if (error instanceof Cancelled) return { status: 'cancelled' };
    throw error;
  } finally {
    await backend.close();
  }
}
