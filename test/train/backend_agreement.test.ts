// Our wasm backend must train like tfjs's plain JS one: from the same seeded weights on the same batches,
// a few RMSprop steps of each network give the same losses on both, for both builds of our kernels.

import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { openCpu } from '../../src/backends/cpu.js';
import type { ActiveBackend } from '../../src/backends/types.js';
import { openWasm } from '../../src/backends/wasm.js';
import { NUM_CLASSES, PIXELS } from '../../src/data/dataset.js';
import { buildModel, type ModelName, takesImages } from '../../src/models/registry.js';
import { seededRandom } from '../../src/util/random.js';
import { useFastCpuConvFilterGrad } from '../support/cpu_conv_filter_grad.js';
import { expectClose } from '../support/expect_close.js';
import { KERNEL_ISAS } from '../support/kernels/network_shapes.js';

const STEPS = 3;
const SEED = 7;
/** Relative to the loss (about ln 36 = 3.6): float32 sums in another order differ by far less. */
const TOLERANCE = 1e-4;
// The CNN batch is small so that the plain JS backend's convolutions keep the test short.
const CASES: ReadonlyArray<{ model: ModelName; batch: number }> = [
  { model: 'fc', batch: 128 },
  { model: 'cnn', batch: 16 },
];

/** Dropout draws its masks from a global RNG, which no two runs share; rate 0 makes the layer the identity. */
function withoutDropout(model: tfl.Sequential): tfl.Sequential {
  const dropouts = model.layers.filter((layer) => layer.getClassName() === 'Dropout');
  expect(dropouts.length, 'the network should have Dropout layers to disable').toBeGreaterThan(0);
  // `rate` is read-only in the typings but read on every call; the notebook's rates are not under test here.
  for (const layer of dropouts) (layer as unknown as { rate: number }).rate = 0;
  return model;
}

/** Batch `step` as plain arrays, the same whatever backend turns them into tensors. */
function batchData(step: number, batch: number): { x: Float32Array; y: Float32Array } {
  const random = seededRandom(1000 + step);
  const x = new Float32Array(batch * PIXELS).map(() => random());
  const y = new Float32Array(batch * NUM_CLASSES);
  for (let i = 0; i < batch; i++) y[i * NUM_CLASSES + Math.floor(random() * NUM_CLASSES)] = 1;
  return { x, y };
}

/** The losses `trainOnBatch` reports over STEPS steps on the current backend. */
async function trainLosses(name: ModelName, batch: number): Promise<number[]> {
  const model = withoutDropout(buildModel(name, SEED));
  model.compile({ optimizer: tf.train.rmsprop(0.001), loss: 'categoricalCrossentropy' });
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const { x, y } = batchData(step, batch);
    const xs = tf.tensor(x, takesImages(name) ? [batch, 56, 56, 1] : [batch, PIXELS]);
    const ys = tf.tensor2d(y, [batch, NUM_CLASSES]);
    losses.push((await model.trainOnBatch(xs, ys)) as number);
    tf.dispose([xs, ys]);
  }
  model.optimizer.dispose();
  model.dispose();
  return losses;
}

const references = new Map<ModelName, Promise<number[]>>();

/** The plain JS backend's losses, computed once per network and shared by both kernel builds' tests. */
function cpuLosses(name: ModelName, batch: number): Promise<number[]> {
  let losses = references.get(name);
  if (losses === undefined) {
    losses = (async () => {
      await openCpu();
      const restore = useFastCpuConvFilterGrad();
      try {
        return await trainLosses(name, batch);
      } finally {
        restore();
      }
    })();
    references.set(name, losses);
  }
  return losses;
}

test("the reference's filter gradient through Conv2D equals tfjs-backend-cpu's own Conv2DBackpropFilter", async () => {
  await openCpu();
  const x = tf.randomUniform([3, 9, 8, 5], -1, 1, 'float32', 1) as tf.Tensor4D;
  const dy = tf.randomUniform([3, 7, 6, 4], -1, 1, 'float32', 2) as tf.Tensor4D;
  const grad = (): Float32Array =>
    tf
      .tidy(() => {
        const attrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 5, 4] };
        return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      })
      .dataSync() as Float32Array;
  const want = grad();
  const restore = useFastCpuConvFilterGrad();
  try {
    expectClose(grad(), want, 1e-6);
  } finally {
    restore();
  }
});

describe.each(CASES)('$model, batch $batch: our wasm backend trains like the cpu backend', ({ model, batch }) => {
  test.each(KERNEL_ISAS)('with the %s kernels', async (kernelIsa) => {
    const want = await cpuLosses(model, batch);
    let backend: ActiveBackend | undefined;
    try {
      backend = await openWasm({ threads: 2, kernelIsa });
      const got = await trainLosses(model, batch);
      console.log(`${model} ${kernelIsa}: losses ${got.map((l) => l.toFixed(6)).join(', ')}; cpu ${want.map((l) => l.toFixed(6)).join(', ')}`);
      const worst = expectClose(got, want, TOLERANCE);
      console.log(`${model} ${kernelIsa}: largest relative difference ${worst.toExponential(2)}`);
      // Training must have moved the weights, or equal losses would prove nothing about the backward pass.
      expect(Math.abs(got[STEPS - 1]! - got[0]!)).toBeGreaterThan(1e-3);
    } finally {
      await backend?.close();
    }
  });
});
