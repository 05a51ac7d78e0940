// The library's promise is that any tfjs-layers program trains on our backend through plain `model.fit`, not only
// the notebook's two networks: three other common shapes of network (test/support/models/zoo.ts) must train on
// ours as on tfjs's plain JS backend, from the same seeded weights on the same batches.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { NUM_CLASSES } from '../../src/data/dataset.js';
import { type TrainingBackend, useTrainingBackend } from '../../src/index.js';
import { seededRandom } from '../../src/util/random.js';
import { useFastCpuConvFilterGrad } from '../support/cpu_conv_filter_grad.js';
import { expectClose } from '../support/expect_close.js';
import { buildZooModel, ZOO_MODEL_NAMES, type ZooModelName, zooSampleShape } from '../support/models/zoo.js';

/** Parameter counts the builders' doc comments state, so a changed layer shows up as a changed count. */
const PARAMETERS = { lenet: 392_236, vgg: 478_644, mlp: 1_775_012 };

test.each(ZOO_MODEL_NAMES)('%s builds compiled, with its stated parameter count, from 56x56 pixels to 36 class probabilities', async (name) => {
  await tf.setBackend('cpu');
  const model = buildZooModel(name, 1);
  expect(model.countParams()).toBe(PARAMETERS[name]);
  expect(model.inputs[0]!.shape).toEqual([null, ...zooSampleShape(name)]);
  expect(zooSampleShape(name).reduce((a, b) => a * b)).toBe(56 * 56);
  const probabilities = tf.tidy(() => tf.sum(model.predict(tf.randomUniform([2, ...zooSampleShape(name)], 0, 1, 'float32', 1)) as tf.Tensor, 1).arraySync());
  expect(probabilities).toEqual([expect.closeTo(1, 5), expect.closeTo(1, 5)]);
  expect(model.outputs[0]!.shape).toEqual([null, NUM_CLASSES]);
  expect(model.optimizer).toBeDefined();
  model.dispose();
});

const EPOCHS = 2;
const BATCHES_PER_EPOCH = 2;
const SEED = 3;

/**
 * Relative to the loss. The first batch's loss is a forward pass from identical weights, where only the order of
 * float32 sums differs (our GEMM blocks and Winograd tiles against the CPU backend's loops): a few ulps
 * (1.2e-7 each) per sum of up to 3136 terms, far below 1e-5. Later losses also carry every earlier update:
 * SGD and momentum pass a gradient's rounding through at its own size, so they stay within 1e-5 too, but
 * Adam divides each gradient by its own running magnitude, so an element whose gradient is near zero moves by
 * up to the learning rate whatever its rounding was, and batch normalization over a few images divides by a
 * small batch variance: the VGG-style network's later losses are allowed 3e-5 (measured: under 3e-6 on 1 to 4
 * threads, both kernel builds). A gradient 1% off moves the other two networks' losses by 7e-5 to 7e-4 within
 * three steps; Adam and batch normalization undo a gradient's scale, so the VGG-style network catches wrong
 * elements, not wrong scales (the kernel tests against the CPU backend catch those).
 */
const CASES: ReadonlyArray<{ name: ZooModelName; batch: number; firstStep: number; later: number }> = [
  // Small batches for the convolutional networks: the CPU backend's convolutions run at about 0.1 GFLOP/s.
  { name: 'lenet', batch: 8, firstStep: 1e-5, later: 1e-5 },
  { name: 'vgg', batch: 4, firstStep: 1e-5, later: 3e-5 },
  { name: 'mlp', batch: 16, firstStep: 1e-5, later: 1e-5 },
];

/** What `model.fit` reported: every batch's loss, and every epoch's. */
interface Losses {
  batches: number[];
  epochs: number[];
}

/** The same samples and one-hot labels, as plain arrays, whatever backend turns them into tensors. */
function fixedData(name: ZooModelName, samples: number): { x: Float32Array; y: Float32Array } {
  const random = seededRandom(SEED);
  const x = new Float32Array(samples * zooSampleShape(name).reduce((a, b) => a * b)).map(() => random());
  const y = new Float32Array(samples * NUM_CLASSES);
  for (let i = 0; i < samples; i++) y[i * NUM_CLASSES + Math.floor(random() * NUM_CLASSES)] = 1;
  return { x, y };
}

/** Trains the named network with `model.fit` (no shuffle) on the current backend and returns its losses. */
async function fitLosses(name: ZooModelName, batch: number): Promise<Losses> {
  const samples = batch * BATCHES_PER_EPOCH;
  const { x, y } = fixedData(name, samples);
  const xs = tf.tensor(x, [samples, ...zooSampleShape(name)]);
  const ys = tf.tensor2d(y, [samples, NUM_CLASSES]);
  const model = buildZooModel(name, SEED);
  const batches: number[] = [];
  const history = await model.fit(xs, ys, {
    epochs: EPOCHS,
    batchSize: batch,
    shuffle: false,
    verbose: 0,
    callbacks: { onBatchEnd: async (_, logs) => void batches.push(logs?.loss as number) },
  });
  tf.dispose([xs, ys]);
  model.optimizer.dispose();
  model.dispose();
  return { batches, epochs: history.history.loss as number[] };
}

async function onCpu(name: ZooModelName, batch: number): Promise<Losses> {
  await tf.setBackend('cpu');
  // tfjs-backend-cpu's own filter gradient would take minutes; this one is checked against it below.
  const restore = useFastCpuConvFilterGrad();
  try {
    return await fitLosses(name, batch);
  } finally {
    restore();
  }
}

describe('plain model.fit of other networks on our backend', () => {
  let backend: TrainingBackend | undefined;
  beforeAll(async () => {
    backend = await useTrainingBackend({ threads: 2 });
  });
  afterAll(async () => backend?.close());

  test.each(CASES)('$name (batch $batch): losses equal the cpu backend\u2019s', async ({ name, batch, firstStep, later }) => {
    const want = await onCpu(name, batch);
    await tf.setBackend(backend!.name);
    expect(tf.getBackend()).toBe('alnum-wasm');
    const got = await fitLosses(name, batch);
    const show = (l: Losses): string => `batches ${l.batches.map((v) => v.toFixed(7)).join(' ')}; epochs ${l.epochs.map((v) => v.toFixed(7)).join(' ')}`;
    console.log(`${name}\n  cpu:  ${show(want)}\n  ours: ${show(got)}`);
    expect(got.batches).toHaveLength(EPOCHS * BATCHES_PER_EPOCH);
    expectClose(got.batches.slice(0, 1), want.batches.slice(0, 1), firstStep);
    expectClose(got.batches.slice(1), want.batches.slice(1), later);
    expectClose(got.epochs, want.epochs, later);
  });
});

type Shape4 = [number, number, number, number];
const FILTER_GRAD_CASES: ReadonlyArray<{ x: Shape4; filter: Shape4; strides: number | [number, number]; pad: 'same' | 'valid' }> = [
  { x: [3, 9, 8, 5], filter: [3, 3, 5, 4], strides: 2, pad: 'same' },
  { x: [2, 10, 11, 3], filter: [5, 5, 3, 6], strides: 1, pad: 'same' },
  { x: [2, 11, 10, 3], filter: [3, 2, 3, 4], strides: [2, 3], pad: 'valid' },
];

test.each(FILTER_GRAD_CASES)(
  'the reference filter gradient through Conv2D equals tfjs-backend-cpu\u2019s own, $pad padding, strides $strides',
  async (shapes) => {
    await tf.setBackend('cpu');
    const attrs = { strides: shapes.strides, pad: shapes.pad, dataFormat: 'NHWC', filterShape: shapes.filter };
    const x = tf.randomUniform(shapes.x, -1, 1, 'float32', 1) as tf.Tensor4D;
    const [, oh, ow] = tf.tidy(() => tf.conv2d(x, tf.zeros(shapes.filter) as tf.Tensor4D, shapes.strides, shapes.pad).shape);
    const dy = tf.randomUniform([shapes.x[0], oh, ow, shapes.filter[3]], -1, 1, 'float32', 2) as tf.Tensor4D;
    const grad = (): Float32Array =>
      (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync() as Float32Array;
    const want = grad();
    const restore = useFastCpuConvFilterGrad();
    try {
      expectClose(grad(), want, 1e-6);
    } finally {
      restore();
    }
  },
);
