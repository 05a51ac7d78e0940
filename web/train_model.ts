// One network trained as the page trains it, shared by the trainer worker and the browser test (which
// trains the same in Node and expects the page's figures bit for bit).
import { type Prepared, preprocess } from '../src/data/preprocess.js';
import { buildModel, type ModelName, takesImages } from '../src/models/registry.js';
import { compileForTraining } from '../src/train/compile.js';
import { fit } from '../src/train/fit.js';
import type { Progress } from '../src/train/progress.js';
import type { ModelResult } from './protocol.js';
import { syntheticDataset } from './synthetic.js';

/** The notebook's settings. */
const BATCH_SIZE = 128;
const LEARNING_RATE = 0.001;
const PATIENCE = 3;

/** The synthetic set of `images` split as the trainer does, 80/20 with the seed. */
export function syntheticSplit(images: number, seed: number): { source: string; data: Prepared } {
  const raw = syntheticDataset(images, seed);
  return { source: raw.source, data: preprocess(raw, { testSplit: 0.2, seed }) };
}

/** Builds, compiles and trains network `name` on the current tfjs backend, and says what it reached. */
export async function trainModel(name: ModelName, data: Prepared, settings: { epochs: number; seed: number }, progress: Progress): Promise<ModelResult> {
  const model = buildModel(name, settings.seed);
  compileForTraining(model, LEARNING_RATE);
  const options = { epochs: settings.epochs, batchSize: BATCH_SIZE, patience: PATIENCE, seed: settings.seed, images: takesImages(name) };
  const { history } = await fit(model, data, options, progress);
  model.dispose();
  const last = history[history.length - 1]!;
  const steps = Math.ceil(data.train.count / BATCH_SIZE) * history.length;
  const stepSeconds = history.reduce((sum, r) => sum + r.stepSeconds, 0);
  return {
    model: name,
    epochs: history.length,
    loss: last.loss,
    acc: last.acc,
    valLoss: last.valLoss,
    valAcc: last.valAcc,
    samplesPerSecond: last.samplesPerSecond,
    stepMs: (stepSeconds * 1000) / steps,
  };
}
