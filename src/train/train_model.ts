import type * as tfl from '@tensorflow/tfjs-layers';
import type { Prepared } from '../data/preprocess.js';
import { buildModel, takesImages, type ModelName } from '../models/registry.js';
import { formatSummary } from '../models/summary.js';
import { compileForTraining } from './compile.js';
import type { TrainConfig } from './config.js';
import { evaluate, type Score } from './evaluate.js';
import { fit, type FitResult } from './fit.js';
import type { Progress } from './progress.js';

/** A trained model and what was measured along the way. */
export interface TrainedModel {
  name: ModelName;
  model: tfl.LayersModel;
  fit: FitResult;
  test: Score;
}

/**
 * Builds, summarises, compiles (RMSprop, categorical cross-entropy, accuracy) and trains one network, then
 * scores it on the test split, as one notebook section does.
 */
export async function trainModel(
  name: ModelName,
  data: Prepared,
  config: TrainConfig,
  progress: Progress,
  log: (line: string) => void,
): Promise<TrainedModel> {
  const model = buildModel(name, config.seed);
  log(formatSummary(model));
  compileForTraining(model, config.learningRate);
  log(`Train on ${data.train.count} samples, validate on ${data.test.count} samples`);
  const images = takesImages(name);
  const result = await fit(
    model,
    data,
    { epochs: config.epochs, batchSize: config.batchSize, patience: config.patience, seed: config.seed, images },
    progress,
  );
  const test = evaluate(model, data.test, images);
  log(`Test loss: ${test.loss.toFixed(6)}`);
  log(`Test accuracy: ${(test.acc * 100).toFixed(2)} %`);
  return { name, model, fit: result, test };
}
