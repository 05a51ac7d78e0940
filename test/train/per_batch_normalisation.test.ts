import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ActiveBackend } from '../../src/backends/types.js';
import { openWasm } from '../../src/backends/wasm.js';
import { PIXELS } from '../../src/data/dataset.js';
import { inOrder, type Prepared, preprocess, type Split } from '../../src/data/preprocess.js';
import { buildModel } from '../../src/models/registry.js';
import { compileForTraining } from '../../src/train/compile.js';
import { evaluate } from '../../src/train/evaluate.js';
import { fit } from '../../src/train/fit.js';
import { silentProgress } from '../../src/train/progress.js';
import { seededRandom } from '../../src/util/random.js';

// Splits used to be float32 copies of the whole set, normalised up front; now they are indices into the
// uint8 images, normalised a batch at a time. A split whose pixels are those old float32 rows (with the
// identity as its indices) is exactly what training read before, so training the same seeded network on
// both must give the same numbers, bit for bit.

let backend: ActiveBackend;
beforeAll(async () => {
  backend = await openWasm({ threads: 2 });
});
afterAll(async () => {
  await backend.close();
});

/** Learnable uint8 images: each class lights its own block of pixels, over sparse noise. */
function images(count: number): { pixels: Uint8Array; labels: Uint8Array } {
  const random = seededRandom(21);
  const pixels = new Uint8Array(count * PIXELS);
  const labels = Uint8Array.from({ length: count }, (_, i) => (i * 7) % 36);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < PIXELS; p++) pixels[i * PIXELS + p] = random() < 0.1 ? Math.floor(random() * 256) : 0;
    for (let p = 0; p < 80; p++) pixels[i * PIXELS + labels[i]! * 85 + p] = 200 + (p % 56);
  }
  return { pixels, labels };
}

/** The split as whole-set preprocessing left it: its images gathered in split order as float32, each uint8 times 1/255. */
function asWholeSetFloat(split: Split): Split {
  const x = new Float32Array(split.count * PIXELS);
  const scale = 1 / 255;
  split.rows.forEach((row, i) => {
    for (let p = 0; p < PIXELS; p++) x[i * PIXELS + p] = (split.pixels[row * PIXELS + p] as number) * scale;
  });
  return { pixels: x, rows: inOrder(split.count), labels: split.labels, count: split.count };
}

async function trained(data: Prepared) {
  const model = buildModel('fc', 13);
  compileForTraining(model, 0.001);
  const result = await fit(model, data, { epochs: 2, batchSize: 32, patience: 5, seed: 6, images: false }, silentProgress);
  const test = evaluate(model, data.test, false);
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.optimizer.dispose();
  model.dispose();
  return { history: result.history.map(({ loss, acc, valLoss, valAcc }) => ({ loss, acc, valLoss, valAcc })), test, weights };
}

describe('per-batch normalisation', () => {
  test('trains the FC net to the same history, test score and weights as the whole-set float32 splits', async () => {
    const { pixels, labels } = images(200);
    const data = preprocess({ pixels, labels, count: 200, source: 'test' }, { testSplit: 0.2, seed: 42 });
    const old: Prepared = { ...data, train: asWholeSetFloat(data.train), test: asWholeSetFloat(data.test) };
    const now = await trained(data);
    const before = await trained(old);
    expect(now.history).toEqual(before.history);
    expect(now.test).toEqual(before.test);
    expect(now.weights).toEqual(before.weights);
    expect(now.history[1]!.loss).toBeLessThan(now.history[0]!.loss);
  }, 300_000);
});
