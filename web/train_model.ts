// One network trained as the page trains it, shared by the trainer worker and the browser test (which
// trains the same in Node and expects the page's figures bit for bit).
import { type Prepared, preprocess } from '../src/data/preprocess.js';
import { buildModel, type ModelName, takesImages } from '../src/models/registry.js';
import { compileForTraining } from '../src/train/compile.js';
import { type FitControl, fit } from '../src/train/fit.js';
import type { Progress } from '../src/train/progress.js';
import type { ModelResult } from './protocol.js';
import { syntheticDataset } from './synthetic.js';

/** The notebook's batch size. */
const BATCH_SIZE = 128;

/** How long and how fast to train: the page's settings. */
export interface TrainSettings {
  epochs: number;
  patience: number;
  learningRate: number;
  seed: number;
}

/** The synthetic set of `images` split as the trainer does, 80/20 with the seed. */
export function syntheticSplit(images: number, seed: number): { source: string; data: Prepared } {
  const raw = syntheticDataset(images, seed);
  return { source: raw.source, data: preprocess(raw, { testSplit: 0.2, seed }) };
}

/** Builds, compiles and trains network `name` on the current tfjs backend, and says what it reached. */
export async function trainModel(
  name: ModelName,
  data: Prepared,
  settings: TrainSettings,
  progress: Progress,
  stopRequested: () => boolean = () => false,
): Promise<ModelResult> {
  const model = buildModel(name, settings.seed);
  compileForTraining(model, settings.learningRate);
  const options = { epochs: settings.epochs, batchSize: BATCH_SIZE, patience: settings.patience, seed: settings.seed, images: takesImages(name) };
  // A stop is a pause that is never resumed: nothing is saved, the finished epochs are reported.
  const control: FitControl = { pauseRequested: stopRequested, save: async () => {} };
  const { history, stoppedEarly, interrupted } = await fit(model, data, options, progress, control);
  model.dispose();
  const last = history[history.length - 1];
  const steps = Math.ceil(data.train.count / BATCH_SIZE) * history.length;
  const stepSeconds = history.reduce((sum, r) => sum + r.stepSeconds, 0);
  return {
    model: name,
    epochs: history.length,
    ended: interrupted ? 'stopped' : stoppedEarly ? 'early stopping' : 'epochs',
    loss: last?.loss ?? Number.NaN,
    acc: last?.acc ?? Number.NaN,
    valLoss: last?.valLoss ?? Number.NaN,
    valAcc: last?.valAcc ?? Number.NaN,
    samplesPerSecond: last?.samplesPerSecond ?? Number.NaN,
    stepMs: steps === 0 ? Number.NaN : (stepSeconds * 1000) / steps,
  };
}
