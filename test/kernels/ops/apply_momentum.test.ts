// The fused momentum kernel against tfjs's own op-by-op update on the CPU backend, with and without Nesterov:
// the same f32 operations in the same order, so the results must be equal bit for bit, on both kernel builds
// and every thread count.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../../src/backends/wasm.js';
import { APPLY_MOMENTUM } from '../../../src/kernels/ops/apply_momentum.js';
import { expectBitwise } from '../../support/expect_close.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { type HostTensor, randomTensor } from '../../support/kernels/run_kernel.js';
import { withSentinelOutputs } from '../../support/kernels/sentinel_heap.js';

// A scalar, odd sizes and sizes not a multiple of 4, and one above the size at which the kernel splits across
// threads (2^17 elements), with a tail; the in-place test below takes the MLP's largest variable.
const SHAPES = [[], [1], [3], [5, 3], [17, 33], [257, 259], [(1 << 17) + 3]];
const SETTINGS = [
  { learningRate: 0.01, momentum: 0.9, useNesterov: false },
  { learningRate: 0.0123, momentum: 0.95, useNesterov: true },
];
type Settings = (typeof SETTINGS)[number];

interface Inputs {
  x: HostTensor;
  acc: HostTensor;
  g: HostTensor;
}

type Result = { x: Float32Array; acc: Float32Array };

/** tfjs's MomentumOptimizer update of one variable, op by op as momentum_optimizer.js writes it, on the CPU backend. */
function reference(data: Inputs, s: Settings): Result {
  tf.setBackend('cpu');
  return tf.tidy(() => {
    const [x, acc, g] = [data.x, data.acc, data.g].map((t) => tf.tensor(t.data, t.shape));
    const m = tf.scalar(s.momentum);
    const c = tf.scalar(-s.learningRate);
    const acc1 = tf.add(tf.mul(m, acc!), g!);
    const x1 = s.useNesterov ? tf.add(tf.mul(c, tf.add(g!, tf.mul(acc1, m))), x!) : tf.add(tf.mul(c, acc1), x!);
    return { x: x1.dataSync() as Float32Array, acc: acc1.dataSync() as Float32Array };
  });
}

/** The kernel's outputs (fresh ones NaN-filled first), and whether they were written over x and acc. */
function fused(backend: string, data: Inputs, s: Settings, inPlace = false): Result & { overwrote: boolean } {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const [x, acc, g] = [data.x, data.acc, data.g].map((t) => tf.tensor(t.data, t.shape));
    const kernelInputs = { x: x!, acc: acc!, g: g!, momentum: tf.scalar(s.momentum), c: tf.scalar(-s.learningRate) };
    const attrs = { useNesterov: s.useNesterov, inPlace };
    const [xo, acco] = withSentinelOutputs(backend, () => tf.engine().runKernel(APPLY_MOMENTUM, kernelInputs, attrs) as tf.Tensor[]);
    return {
      x: xo!.dataSync() as Float32Array,
      acc: acco!.dataSync() as Float32Array,
      overwrote: xo!.dataId === x!.dataId && acco!.dataId === acc!.dataId,
    };
  });
}

const CASES = SHAPES.flatMap((shape, i) => SETTINGS.map((settings, j) => ({ shape, settings, seed: 10 * i + j })));

// Each case's inputs and reference, made once for all the variants.
const made = new Map<number, { data: Inputs; want: Result }>();
function cached(seed: number, shape: number[], s: Settings): { data: Inputs; want: Result } {
  let entry = made.get(seed);
  if (entry === undefined) {
    const data = { x: randomTensor(shape, seed), acc: randomTensor(shape, seed + 1), g: randomTensor(shape, seed + 2) };
    entry = { data, want: reference(data, s) };
    made.set(seed, entry);
  }
  return entry;
}

describe.each(KERNEL_VARIANTS)('ApplyMomentum, $kernelIsa build, $threads thread(s)', (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  test.each(CASES)('equals tfjs op by op on [$shape], Nesterov $settings.useNesterov', ({ shape, settings, seed }) => {
    const { data, want } = cached(seed, shape, settings);
    const got = fused(backend, data, settings);
    expect(got.overwrote).toBe(false);
    expectBitwise(got.acc, want.acc);
    expectBitwise(got.x, want.x);
  });

  test.each(SETTINGS)('writes over x and acc when allowed, with the same results, Nesterov $useNesterov', (settings) => {
    const { data, want } = cached(settings.useNesterov ? -2 : -1, [3136, 70], settings);
    const got = fused(backend, data, settings, true);
    expect(got.overwrote).toBe(true);
    expectBitwise(got.acc, want.acc);
    expectBitwise(got.x, want.x);
  });

  test('never writes over data another tensor shares', () => {
    tf.setBackend(backend);
    const acc = tf.tensor([1, 2, 3]);
    const alias = tf.clone(acc);
    const inputs = { x: tf.ones([3]), acc, g: tf.ones([3]), momentum: tf.scalar(0.9), c: tf.scalar(-0.1) };
    const outs = tf.engine().runKernel(APPLY_MOMENTUM, inputs, { useNesterov: false, inPlace: true }) as tf.Tensor[];
    expect(outs[0]!.dataId).not.toBe(inputs.x.dataId);
    expect(outs[1]!.dataId).not.toBe(acc.dataId);
    expect(Array.from(alias.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([...Object.values(inputs), alias, ...outs]);
  });
});
