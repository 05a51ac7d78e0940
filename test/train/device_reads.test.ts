// On a backend whose tensors live on a device (tfjs-node's CUDA backend), every read back to the host waits
// for the device, so training must not read per batch. No GPU is here: the cpu backend stands in, with the
// device path forced, and its reads are counted where tfjs makes them (the backend's read and readSync).

import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { NUM_CLASSES, PIXELS } from '../../src/data/dataset.js';
import { type Prepared, type Split, splitOf } from '../../src/data/preprocess.js';
import { buildModel } from '../../src/models/registry.js';
import { compileForTraining } from '../../src/train/compile.js';
import { fit } from '../../src/train/fit.js';
import { hostReadsAreCheap } from '../../src/train/host_reads.js';
import { silentProgress } from '../../src/train/progress.js';
import { trainStep, trainStepOnDevice } from '../../src/train/train_step.js';
import { seededRandom } from '../../src/util/random.js';
import { expectClose } from '../support/expect_close.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Counts the cpu backend's reads of tensor data until `stop` is called. */
function countReads(): { count(): number; stop(): void } {
  const backend = tf.backend() as unknown as { readSync(id: object): unknown; read(id: object): Promise<unknown> };
  const { readSync, read } = backend;
  let reads = 0;
  backend.readSync = function (id) {
    reads++;
    return readSync.call(this, id);
  };
  backend.read = function (id) {
    reads++;
    return read.call(this, id);
  };
  return {
    count: () => reads,
    stop() {
      backend.readSync = readSync;
      backend.read = read;
    },
  };
}

let counter: { count(): number; stop(): void } | undefined;
afterEach(() => counter?.stop());

function randomSplit(count: number, seed: number): Split {
  const random = seededRandom(seed);
  const labels = Uint8Array.from({ length: count }, () => Math.floor(random() * NUM_CLASSES));
  return splitOf({ pixels: Float32Array.from({ length: count * PIXELS }, random), labels });
}

test('the cpu backend counts as host memory, a backend of another name as a device', async () => {
  expect(hostReadsAreCheap()).toBe(true);
  tf.registerBackend('device-stand-in', () => new MathBackendCPU());
  await tf.setBackend('device-stand-in');
  expect(hostReadsAreCheap()).toBe(false);
  await tf.setBackend('cpu');
  tf.removeBackend('device-stand-in');
});

describe('trainStepOnDevice', () => {
  test("gives trainStep's loss, accuracy and weights on the FC net, with dropout on", () => {
    const models = [buildModel('fc', 4), buildModel('fc', 4)];
    for (const m of models) compileForTraining(m, 0.001);
    const random = seededRandom(9);
    for (let step = 0; step < 2; step++) {
      const xs = tf.tensor(Float32Array.from({ length: 16 * PIXELS }, random), [16, PIXELS]);
      const ys = tf.oneHot(
        tf.tensor1d(
          Array.from({ length: 16 }, () => Math.floor(random() * NUM_CLASSES)),
          'int32',
        ),
        NUM_CLASSES,
      );
      const host = trainStep(models[0]!, xs, ys);
      const device = trainStepOnDevice(models[1]!, xs, ys);
      expect(Math.abs(device.loss.dataSync()[0]! - host.loss)).toBeLessThan(1e-5 * host.loss);
      expect(device.acc.dataSync()[0]).toBeCloseTo(host.acc, 6);
      tf.dispose([xs, ys, device.loss, device.acc]);
    }
    const [a, b] = models.map((m) => m.getWeights().map((w) => w.dataSync()));
    a!.forEach((w, i) => {
      expectClose(b![i]!, w, 1e-4);
    });
  });
});

describe('fit on a device backend', () => {
  test('reads nothing in most batches, and trains to the same history as the host path', async () => {
    const data: Prepared = { train: randomSplit(320, 1), test: randomSplit(64, 2), seconds: 0, imagesPerSecond: 0 };
    // A small network, so that the run is short and the timed reads few.
    const run = async (readsOnDevice: boolean): Promise<{ readsPerBatch: number[]; losses: number[]; seconds: number }> => {
      const model = tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [PIXELS], units: 16, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }) }),
          tfl.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 6 }) }),
        ],
      });
      compileForTraining(model, 0.001);
      const start = performance.now();
      counter = countReads();
      const readsPerBatch: number[] = [];
      let before = counter.count();
      const options = { epochs: 2, batchSize: 16, patience: 5, seed: 3, images: false, readsOnDevice };
      const result = await fit(model, data, options, silentProgress, {
        pauseRequested: () => false,
        save: async () => {},
        afterBatch() {
          readsPerBatch.push(counter!.count() - before);
          before = counter!.count();
        },
      });
      counter.stop();
      model.dispose();
      return { readsPerBatch, losses: result.history.flatMap((e) => [e.loss, e.acc, e.valLoss]), seconds: (performance.now() - start) / 1000 };
    };
    const host = await run(false);
    const device = await run(true);
    expect(host.readsPerBatch).toHaveLength(40);
    expect(host.readsPerBatch.every((n) => n >= 1)).toBe(true);
    expect(device.readsPerBatch).toHaveLength(40);
    // Reads come after an epoch's first batch, at its last, and about once a second between.
    const reading = device.readsPerBatch.filter((n) => n > 0).length;
    console.log(`device path: ${reading} of 40 batches read, in ${device.seconds.toFixed(1)} s; host path: every batch read`);
    expect(reading).toBeLessThanOrEqual(2 * 2 + Math.floor(device.seconds));
    expect(reading).toBeLessThan(20);
    device.losses.forEach((v, i) => {
      expect(Math.abs(v - host.losses[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(host.losses[i]!)));
    });
  });
});
