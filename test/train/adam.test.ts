// The fused Adam optimizer against tfjs's own on the CPU backend over several steps: same variables, same
// gradients, so the same weights and moments bit for bit. It must be tfjs's optimizer where the fused kernel
// is missing, keep tfjs's state (so the two paths can take turns, and setWeights restores either), and
// register nothing: a saved model's optimizer config names tfjs's Adam.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../src/backends/wasm.js';
import { adam, FusedAdamOptimizer } from '../../src/train/adam.js';
import { KERNEL_VARIANTS } from '../support/kernels/network_shapes.js';
import { expectSameRun, OPTIMIZER_TEST_SHAPES as SHAPES, type TrainPlan, type TrainResult, trainVariables } from '../support/train_optimizer.js';

const STEPS = 5;
const SETTINGS = [0.001, 0.9, 0.999, undefined] as const;

const onCpu: TrainPlan = { shapes: SHAPES, steps: STEPS, backendAt: () => 'cpu' };

describe('FusedAdamOptimizer', () => {
  let want: TrainResult;
  let wantRestored: TrainResult;
  let backend = '';
  beforeAll(async () => {
    want = await trainVariables(() => tf.train.adam(...SETTINGS), onCpu);
    // setWeights recomputes beta^t with Pow, which need not equal the product of the steps: restore on cpu in both.
    wantRestored = await trainVariables(() => tf.train.adam(...SETTINGS), { ...onCpu, restoreAt: 2 });
    backend = (await openWasm({ threads: 2 })).tfjsName;
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  test("is tfjs's Adam where the fused kernel is missing (CPU backend)", async () => {
    expectSameRun(await trainVariables(() => adam(...SETTINGS), onCpu), want);
  });

  test.each(KERNEL_VARIANTS)("equals tfjs's Adam on the CPU backend: $kernelIsa build, $threads thread(s)", async (variant) => {
    const name = (await openWasm(variant)).tfjsName;
    expectSameRun(await trainVariables(() => adam(...SETTINGS), { ...onCpu, backendAt: () => name }), want);
  });

  test('takes turns with tfjs’s own path mid-run: cpu, then fused, then cpu', async () => {
    const backendAt = (step: number): string => (step >= 2 && step < 4 ? backend : 'cpu');
    expectSameRun(await trainVariables(() => adam(...SETTINGS), { ...onCpu, backendAt }), want);
  });

  test('restores from its getWeights through setWeights as tfjs’s does, and goes on equal', async () => {
    const fused = { ...onCpu, backendAt: () => backend, restoreAt: 2, restoreOn: 'cpu' };
    expectSameRun(await trainVariables(() => adam(...SETTINGS), fused), wantRestored);
  });

  test("runs one fused kernel per variable, in place, and keeps tfjs's weight layout and config", async () => {
    await tf.setBackend(backend);
    const optimizer: tf.Optimizer = adam(0.01);
    const x = tf.variable(tf.ones([3]), true, 'adam_layout_x');
    optimizer.applyGradients({ [x.name]: tf.fill([3], 0.5) });
    const data = x.dataId;
    const profile = await tf.profile(() => optimizer.applyGradients({ [x.name]: tf.fill([3], 0.5) }));
    expect(profile.kernelNames.filter((k) => k === 'ApplyAdam')).toHaveLength(1);
    expect(profile.kernelNames).not.toContain('Sqrt');
    expect(x.dataId).toBe(data);
    const weights = await optimizer.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', `${x.name}/m`, `${x.name}/v`]);
    // A saved model's config names tfjs's class, and nothing was registered under it but tfjs's.
    const stock = tf.train.adam(0.01);
    expect(optimizer).toBeInstanceOf(tf.AdamOptimizer);
    expect(optimizer.getClassName()).toBe('Adam');
    expect(optimizer.getConfig()).toEqual(stock.getConfig());
    expect(tf.serialization.SerializationMap.getMap().classNameMap.Adam?.[0]).toBe(tf.AdamOptimizer);
    expect(FusedAdamOptimizer.className).toBe('Adam');
    optimizer.dispose();
    stock.dispose();
    x.dispose();
  });
});
