// The fused RMSprop kernel against tfjs's own op-by-op update on the CPU backend: the same f32 operations
// in the same order, so the results must be equal bit for bit, on both kernel builds and thread counts.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../../src/backends/wasm.js';
import { APPLY_RMSPROP } from '../../../src/kernels/ops/apply_rms_prop.js';
import { expectClose } from '../../support/expect_close.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { type HostTensor, randomTensor } from '../../support/kernels/run_kernel.js';

// Odd sizes, one below and two above the size at which the kernel splits across threads.
const SHAPES = [[1], [3], [5, 3], [17, 33], [257, 259], [3136, 70]];
const ATTRS = { learningRate: 0.001, decay: 0.9, epsilon: 1e-7 };

/** x, ms (non-negative, some tiny so epsilon matters) and g for one shape. */
function inputs(shape: number[], seed: number): { x: HostTensor; ms: HostTensor; g: HostTensor } {
  const ms = randomTensor(shape, seed + 1);
  ms.data.forEach((v, i) => {
    ms.data[i] = i % 7 === 0 ? v * v * 1e-9 : v * v;
  });
  return { x: randomTensor(shape, seed), ms, g: randomTensor(shape, seed + 2) };
}

/** tfjs's RMSPropOptimizer update (momentum 0, not centred), op by op, on the CPU backend. */
function reference({ x, ms, g }: ReturnType<typeof inputs>): { x: Float32Array; ms: Float32Array } {
  tf.setBackend('cpu');
  return tf.tidy(() => {
    const [xt, mst, gt] = [x, ms, g].map((t) => tf.tensor(t.data, t.shape));
    const msNew = tf.add(tf.mul(mst!, ATTRS.decay), tf.mul(tf.square(gt!), 1 - ATTRS.decay));
    const moment = tf.add(tf.mul(tf.zerosLike(xt!), 0), tf.div(tf.mul(gt!, ATTRS.learningRate), tf.sqrt(tf.add(msNew, ATTRS.epsilon))));
    return { x: tf.sub(xt!, moment).dataSync() as Float32Array, ms: msNew.dataSync() as Float32Array };
  });
}

/** The kernel's outputs, and whether they were written over x and ms. */
function fused(backend: string, { x, ms, g }: ReturnType<typeof inputs>, inPlace = false): { x: Float32Array; ms: Float32Array; overwrote: boolean } {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const [xt, mst, gt] = [x, ms, g].map((t) => tf.tensor(t.data, t.shape));
    const [xo, mso] = tf.engine().runKernel(APPLY_RMSPROP, { x: xt!, ms: mst!, g: gt! }, { ...ATTRS, inPlace }) as tf.Tensor[];
    return { x: xo!.dataSync() as Float32Array, ms: mso!.dataSync() as Float32Array, overwrote: xo!.dataId === xt!.dataId && mso!.dataId === mst!.dataId };
  });
}

describe.each(KERNEL_VARIANTS)('ApplyRMSProp, $kernelIsa build, $threads thread(s)', (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  test.each(SHAPES.map((shape, i) => ({ shape, seed: 10 * i })))('equals tfjs op by op on [$shape]', ({ shape, seed }) => {
    const data = inputs(shape, seed);
    const want = reference(data);
    const got = fused(backend, data);
    expect(got.overwrote).toBe(false);
    expectClose(got.ms, want.ms, 0);
    expectClose(got.x, want.x, 0);
  });

  test('writes over x and ms when allowed, with the same results', () => {
    const data = inputs([257, 259], 3);
    const got = fused(backend, data, true);
    expect(got.overwrote).toBe(true);
    expectClose(got.ms, reference(data).ms, 0);
    expectClose(got.x, reference(data).x, 0);
  });

  test('never writes over data another tensor shares', () => {
    tf.setBackend(backend);
    const x = tf.tensor([1, 2, 3]);
    const alias = tf.clone(x);
    const [xo, mso] = tf.engine().runKernel(APPLY_RMSPROP, { x, ms: tf.ones([3]), g: tf.ones([3]) }, { ...ATTRS, inPlace: true }) as tf.Tensor[];
    expect(xo!.dataId).not.toBe(x.dataId);
    expect(Array.from(alias.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([x, alias, xo!, mso!]);
  });
});
