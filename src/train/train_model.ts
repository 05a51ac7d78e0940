import type * as tfl from '@tensorflow/tfjs-layers';
import type { Prepared } from '../data/preprocess.js';
import { buildModel, type ModelName, takesImages } from '../models/registry.js';
import { formatSummary } from '../models/summary.js';
import { type CheckpointWriter, type ModelInProgress, restoreModelState } from './checkpoint.js';
import { compileForTraining } from './compile.js';
import type { TrainConfig } from './config.js';
import { evaluate, type Score } from './evaluate.js';
import { type FitControl, type FitResult, fit } from './fit.js';
import type { Progress } from './progress.js';

/** A trained model and what was measured along the way. */
export interface TrainedModel {
  name: ModelName;
  model: tfl.LayersModel;
  fit: FitResult;
  test: Score;
}

/** How a run keeps checkpoints of a network, pauses it and resumes it. */
export interface Checkpointing {
  /** The run's output folder, where the checkpoint was read from. */
  out: string;
  writer: CheckpointWriter;
  /** This network's state from the checkpoint being resumed, if it was in training then. */
  resume: ModelInProgress | undefined;
  pauseRequested(): boolean;
  afterBatch?(): void;
}

/**
 * Builds, summarises, compiles (RMSprop, categorical cross-entropy, accuracy) and trains one network, then
 * scores it on the test split, as one notebook section does. With checkpointing it can start from a
 * checkpoint, and returns 'interrupted' once it has saved one on request.
 */
export async function trainModel(
  name: ModelName,
  data: Prepared,
  config: TrainConfig,
  progress: Progress,
  log: (line: string) => void,
  checkpointing?: Checkpointing,
): Promise<TrainedModel | 'interrupted'> {
  const model = buildModel(name, config.seed);
  log(formatSummary(model));
  compileForTraining(model, config.learningRate);
  log(`Train on ${data.train.count} samples, validate on ${data.test.count} samples`);
  const images = takesImages(name);
  const resume = checkpointing?.resume;
  if (checkpointing !== undefined && resume !== undefined) {
    await restoreModelState(checkpointing.out, resume, model);
    log(`resuming at epoch ${resume.fit.epoch}, after ${resume.fit.done} of its ${data.train.count} samples`);
  }
  const control: FitControl | undefined = checkpointing && {
    ...(resume === undefined ? {} : { resumeFrom: resume.fit }),
    pauseRequested: checkpointing.pauseRequested,
    save: (state) => checkpointing.writer.save(name, model, state),
    ...(checkpointing.afterBatch === undefined ? {} : { afterBatch: checkpointing.afterBatch }),
  };
  const result = await fit(
    model,
    data,
    { epochs: config.epochs, batchSize: config.batchSize, patience: config.patience, seed: config.seed, images },
    progress,
    control,
  );
  if (result.interrupted) return 'interrupted';
  const test = evaluate(model, data.test, images);
  log(`Test loss: ${test.loss.toFixed(6)}`);
  log(`Test accuracy: ${(test.acc * 100).toFixed(2)} %`);
  return { name, model, fit: result, test };
}
