import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { openCpu } from '../../src/backends/cpu.js';
import type { ActiveBackend } from '../../src/backends/types.js';
import { openWasm } from '../../src/backends/wasm.js';
import { PIXELS } from '../../src/data/dataset.js';
import { type Prepared, type Split, splitOf } from '../../src/data/preprocess.js';
import { buildModel, type ModelName, takesImages } from '../../src/models/registry.js';
import { compileForTraining } from '../../src/train/compile.js';
import { evaluate } from '../../src/train/evaluate.js';
import { fit } from '../../src/train/fit.js';
import type { Progress } from '../../src/train/progress.js';
import { seededRandom } from '../../src/util/random.js';
import { useFastCpuConvFilterGrad } from '../support/cpu_conv_filter_grad.js';

// Tensors must not pile up across batches or epochs: tfjs counts every live tensor, so the count and
// bytes after each batch must equal those after the first one (when the optimizer's slots exist),
// and after each epoch's evaluation those after the first epoch's, on every path out of fit.

interface Snapshot {
  numTensors: number;
  numBytes: number;
}

const snapshot = (): Snapshot => {
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, numBytes };
};

function randomSplit(count: number, seed: number): Split {
  const random = seededRandom(seed);
  const x = Float32Array.from({ length: count * PIXELS }, () => random());
  const labels = Uint8Array.from({ length: count }, (_, i) => (i * 7) % 36);
  return splitOf({ pixels: x, labels });
}

// Small, because tfjs's CPU backend takes seconds per CNN batch.
const data: Prepared = { train: randomSplit(24, 1), test: randomSplit(10, 2), seconds: 0, imagesPerSecond: 0 };

/** Fits and records tfjs's counts after every batch and every epoch (whose figures include evaluation). */
async function recordedFit(name: ModelName, learningRate: number, epochs: number, patience: number) {
  const model = buildModel(name, 5);
  compileForTraining(model, learningRate);
  const batches: Snapshot[] = [];
  const epochEnds: Snapshot[] = [];
  const progress: Progress = { batch: () => {}, epoch: () => void epochEnds.push(snapshot()) };
  const control = { pauseRequested: () => false, save: async () => {}, afterBatch: () => void batches.push(snapshot()) };
  const options = { epochs, batchSize: 8, patience, seed: 3, images: takesImages(name) };
  const result = await fit(model, data, options, progress, control);
  return { model, result, batches, epochEnds, afterFit: snapshot() };
}

let active: ActiveBackend | undefined;

/** A backend's close that also runs `restore`. */
function closeAlso(backend: ActiveBackend, restore: () => void): () => Promise<void> {
  return async () => {
    restore();
    await backend.close();
  };
}
afterAll(async () => {
  await active?.close();
});

describe.each([
  // tfjs's plain-JS Conv2DBackpropFilter made the CNN case take 9-10 minutes; the stand-in computes the
  // same gradient through the CPU backend's Conv2D, and disposes what it makes like any kernel.
  ['cpu', () => openCpu().then((backend) => ({ ...backend, close: closeAlso(backend, useFastCpuConvFilterGrad()) }))],
  ['wasm', () => openWasm({ threads: 2 })],
] as const)('no tensor leaks on %s', (_backend, open) => {
  it.each(['fc', 'cnn'] as const)(
    '%s: batches, epochs, evaluation and early stopping hold the tensor count steady',
    async (name) => {
      await active?.close();
      active = await open();
      const before = snapshot();

      const { model, result, batches, epochEnds, afterFit } = await recordedFit(name, 0.001, 2, 10);
      // 2 epochs of 24 samples in batches of 8: 3 batches each.
      expect(batches).toHaveLength(6);
      expect(epochEnds).toHaveLength(2);
      expect(batches[0]!.numTensors).toBeGreaterThan(before.numTensors);
      for (const later of batches) expect(later).toEqual(batches[0]);
      for (const later of epochEnds) expect(later).toEqual(epochEnds[0]);
      expect(afterFit).toEqual(epochEnds[0]);
      expect(result.stoppedEarly).toBe(false);

      evaluate(model, data.test, takesImages(name), 4);
      expect(snapshot()).toEqual(afterFit);

      // A learning rate of 0 leaves the validation loss unchanged, so patience 1 stops at epoch 2.
      const stopped = await recordedFit(name, 0, 5, 1);
      expect(stopped.result.stoppedEarly).toBe(true);
      expect(stopped.epochEnds).toHaveLength(2);
      expect(stopped.afterFit).toEqual(stopped.epochEnds[0]);
      for (const later of stopped.batches) expect(later).toEqual(stopped.batches[0]);

      // Disposing both models gives back every tensor they and their optimizers made.
      for (const trained of [model, stopped.model]) {
        trained.optimizer.dispose();
        trained.dispose();
      }
      expect(snapshot()).toEqual(before);
    },
    900_000,
  );
});
