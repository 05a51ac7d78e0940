// One network trained as the page trains it, shared by the trainer worker and the browser test (which
// trains the same in Node and expects the page's figures bit for bit).

import type * as tfl from '@tensorflow/tfjs-layers';
import { NUM_CLASSES, PIXELS, type RawDataset } from '../src/data/dataset.js';
import { parsePickle } from '../src/data/pickle_bytes.js';
import { type Prepared, preprocess } from '../src/data/preprocess.js';
import { FONT_PACKAGES } from '../src/data/synthetic/fonts.js';
import { shuffledLabels } from '../src/data/synthetic/random.js';
import { renderChunk } from '../src/data/synthetic/render.js';
import { buildModel, type ModelName, takesImages } from '../src/models/registry.js';
import { platform } from '../src/platform/index.js';
import { compileForTraining } from '../src/train/compile.js';
import { type FitControl, fit } from '../src/train/fit.js';
import type { Progress } from '../src/train/progress.js';
import { UserError } from '../src/util/user_error.js';
import type { DataKind, ModelResult, PickleFile } from './protocol.js';
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

/**
 * The built-in set as the command line's generator makes it (src/data/synthetic/): the same labels and the
 * same random poses, distortions and noise for a seed, drawn here with this host's canvas and fonts, on
 * this thread, `onProgress` told after each chunk.
 */
export async function fontDataset(count: number, seed: number, onProgress: (done: number) => void = () => {}): Promise<RawDataset> {
  await platform.preloadFonts(FONT_PACKAGES);
  const labels = shuffledLabels(count, NUM_CLASSES, seed);
  const pixels = new Uint8Array(count * PIXELS);
  const CHUNK = 256;
  for (let start = 0; start < count; start += CHUNK) {
    const end = Math.min(count, start + CHUNK);
    pixels.set(renderChunk({ seed, start, labels: labels.subarray(start, end) }), start * PIXELS);
    onProgress(end);
    await platform.yieldToEventLoop();
  }
  return { pixels, labels, count, source: `synthetic(samples=${count}, seed=${seed})` };
}

/**
 * A data set, split as the trainer does (80/20 with the seed): `images` generated of a built-in kind, or the
 * user's pickle, read by the command line's safe loader (its refusals are the same one-sentence UserErrors).
 */
export async function dataSplit(
  kind: DataKind,
  images: number,
  seed: number,
  onProgress?: (done: number) => void,
  pickle?: PickleFile,
): Promise<{ raw: RawDataset; data: Prepared }> {
  let raw: RawDataset;
  if (kind === 'pickle') {
    if (pickle === undefined) throw new UserError('choose or drop a train.pkl file first');
    raw = parsePickle(pickle.bytes, pickle.name);
  } else {
    raw = kind === 'fonts' ? await fontDataset(images, seed, onProgress) : syntheticDataset(images, seed);
  }
  return { raw, data: preprocess(raw, { testSplit: 0.2, seed }) };
}

/** Images as bytes 0..255, whichever way the data set holds them (a pickle may give floats in [0, 1]). */
export function asBytes(pixels: Uint8Array | Float32Array): Uint8Array {
  return pixels instanceof Uint8Array ? pixels.slice() : Uint8Array.from(pixels, (v) => Math.round(v * 255));
}

/** Builds, compiles and trains network `name` on the current tfjs backend: the model, and what it reached. */
export async function trainModel(
  name: ModelName,
  data: Prepared,
  settings: TrainSettings,
  progress: Progress,
  stopRequested: () => boolean = () => false,
): Promise<{ model: tfl.Sequential; result: ModelResult }> {
  const model = buildModel(name, settings.seed);
  compileForTraining(model, settings.learningRate);
  const options = { epochs: settings.epochs, batchSize: BATCH_SIZE, patience: settings.patience, seed: settings.seed, images: takesImages(name) };
  // A stop is a pause that is never resumed: nothing is saved, the finished epochs are reported.
  const control: FitControl = { pauseRequested: stopRequested, save: async () => {} };
  const { history, stoppedEarly, interrupted } = await fit(model, data, options, progress, control);
  const last = history[history.length - 1];
  const steps = Math.ceil(data.train.count / BATCH_SIZE) * history.length;
  const stepSeconds = history.reduce((sum, r) => sum + r.stepSeconds, 0);
  const result: ModelResult = {
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
  return { model, result };
}
