// The fused Adam kernel against tfjs's own op-by-op update on the CPU backend: the same f32 operations in the
// same order, so the results must be equal bit for bit, on both kernel builds and every thread count.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../../src/backends/wasm.js';
import { APPLY_ADAM, type ApplyAdamAttrs } from '../../../src/kernels/ops/apply_adam.js';
import { expectBitwise } from '../../support/expect_close.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { type HostTensor, randomTensor } from '../../support/kernels/run_kernel.js';
import { withSentinelOutputs } from '../../support/kernels/sentinel_heap.js';

// A scalar, odd sizes and sizes not a multiple of 4, and one above the size at which the kernel splits across
// threads (2^17 elements), with a tail; the in-place test below takes the MLP's largest variable.
const SHAPES = [[], [1], [3], [5, 3], [17, 33], [257, 259], [(1 << 17) + 3]];
const ATTRS: ApplyAdamAttrs[] = [
  { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  { learningRate: 0.0123, beta1: 0.8, beta2: 0.97, epsilon: 1e-3 },
];

interface Inputs {
  x: HostTensor;
  m: HostTensor;
  v: HostTensor;
  g: HostTensor;
  accBeta1: number;
  accBeta2: number;
}

/** beta^t as tfjs's optimizer holds it: a float32 scalar multiplied by float32 beta once per step. */
function betaPower(beta: number, t: number): number {
  let acc = Math.fround(beta);
  for (let i = 1; i < t; i++) acc = Math.fround(acc * Math.fround(beta));
  return acc;
}

/** x, m, v (non-negative, some tiny so epsilon matters), g, and the beta powers after `t` steps. */
function inputs(shape: number[], seed: number, attrs: ApplyAdamAttrs, t: number): Inputs {
  const v = randomTensor(shape, seed + 2);
  v.data.forEach((e, i) => {
    v.data[i] = i % 7 === 0 ? e * e * 1e-9 : e * e;
  });
  return {
    x: randomTensor(shape, seed),
    m: randomTensor(shape, seed + 1),
    v,
    g: randomTensor(shape, seed + 3),
    accBeta1: betaPower(attrs.beta1, t),
    accBeta2: betaPower(attrs.beta2, t),
  };
}

type Result = { x: Float32Array; m: Float32Array; v: Float32Array };

/** tfjs's AdamOptimizer update of one variable, op by op as adam_optimizer.js writes it, on the CPU backend. */
function reference(data: Inputs, attrs: ApplyAdamAttrs): Result {
  tf.setBackend('cpu');
  return tf.tidy(() => {
    const [x, m, v, g] = [data.x, data.m, data.v, data.g].map((t) => tf.tensor(t.data, t.shape));
    const oneMinusAccBeta1 = tf.sub(1, tf.scalar(data.accBeta1));
    const oneMinusAccBeta2 = tf.sub(1, tf.scalar(data.accBeta2));
    const m1 = tf.add(tf.mul(m!, attrs.beta1), tf.mul(g!, 1 - attrs.beta1));
    const v1 = tf.add(tf.mul(v!, attrs.beta2), tf.mul(tf.square(g!), 1 - attrs.beta2));
    const mHat = tf.div(m1, oneMinusAccBeta1);
    const vHat = tf.div(v1, oneMinusAccBeta2);
    const x1 = tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), attrs.epsilon)), -attrs.learningRate), x!);
    return { x: x1.dataSync() as Float32Array, m: m1.dataSync() as Float32Array, v: v1.dataSync() as Float32Array };
  });
}

/** The kernel's outputs (fresh ones NaN-filled first), and whether they were written over x, m and v. */
function fused(backend: string, data: Inputs, attrs: ApplyAdamAttrs, inPlace = false): Result & { overwrote: boolean } {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const [x, m, v, g] = [data.x, data.m, data.v, data.g].map((t) => tf.tensor(t.data, t.shape));
    const kernelInputs = { x: x!, m: m!, v: v!, g: g!, accBeta1: tf.scalar(data.accBeta1), accBeta2: tf.scalar(data.accBeta2) };
    const [xo, mo, vo] = withSentinelOutputs(backend, () => tf.engine().runKernel(APPLY_ADAM, kernelInputs, { ...attrs, inPlace }) as tf.Tensor[]);
    return {
      x: xo!.dataSync() as Float32Array,
      m: mo!.dataSync() as Float32Array,
      v: vo!.dataSync() as Float32Array,
      overwrote: xo!.dataId === x!.dataId && mo!.dataId === m!.dataId && vo!.dataId === v!.dataId,
    };
  });
}

function expectSame(got: Result, want: Result): void {
  expectBitwise(got.m, want.m);
  expectBitwise(got.v, want.v);
  expectBitwise(got.x, want.x);
}

const CASES = SHAPES.flatMap((shape, i) => ATTRS.map((attrs, j) => ({ shape, attrs, seed: 10 * i + j, t: 1 + ((5 * i + 3 * j) % 40) })));

// Each case's inputs and reference, made once for all the variants.
const made = new Map<number, { data: Inputs; want: Result }>();
function cached(seed: number, make: () => Inputs, attrs: ApplyAdamAttrs): { data: Inputs; want: Result } {
  let entry = made.get(seed);
  if (entry === undefined) {
    const data = make();
    entry = { data, want: reference(data, attrs) };
    made.set(seed, entry);
  }
  return entry;
}

describe.each(KERNEL_VARIANTS)('ApplyAdam, $kernelIsa build, $threads thread(s)', (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  test.each(CASES)('equals tfjs op by op on [$shape], step $t, lr $attrs.learningRate', ({ shape, attrs, seed, t }) => {
    const { data, want } = cached(seed, () => inputs(shape, seed, attrs, t), attrs);
    const got = fused(backend, data, attrs);
    expect(got.overwrote).toBe(false);
    expectSame(got, want);
  });

  test('writes over x, m and v when allowed, with the same results', () => {
    const { data, want } = cached(-1, () => inputs([3136, 70], 3, ATTRS[0]!, 2), ATTRS[0]!);
    const got = fused(backend, data, ATTRS[0]!, true);
    expect(got.overwrote).toBe(true);
    expectSame(got, want);
  });

  test('never writes over data another tensor shares', () => {
    tf.setBackend(backend);
    const x = tf.tensor([1, 2, 3]);
    const alias = tf.clone(x);
    const inputs = { x, m: tf.ones([3]), v: tf.ones([3]), g: tf.ones([3]), accBeta1: tf.scalar(0.9), accBeta2: tf.scalar(0.999) };
    const outs = tf.engine().runKernel(APPLY_ADAM, inputs, { ...ATTRS[0]!, inPlace: true }) as tf.Tensor[];
    expect(outs[0]!.dataId).not.toBe(x.dataId);
    expect(outs[1]!.dataId).not.toBe(inputs.m.dataId);
    expect(Array.from(alias.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([...Object.values(inputs), alias, ...outs]);
  });
});
