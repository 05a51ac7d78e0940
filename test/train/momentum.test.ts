// The fused momentum optimizer against tfjs's own on the CPU backend over several steps, with and without
// Nesterov: same variables, same gradients, so the same weights and accumulations bit for bit. It must be
// tfjs's optimizer where the fused kernel is missing, keep tfjs's state (so the two paths can take turns, and
// setWeights restores it), and register nothing: a saved model's optimizer config names tfjs's Momentum.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../src/backends/wasm.js';
import { FusedMomentumOptimizer, momentum } from '../../src/train/momentum.js';
import { KERNEL_VARIANTS } from '../support/kernels/network_shapes.js';
import { expectSameRun, OPTIMIZER_TEST_SHAPES as SHAPES, type TrainPlan, type TrainResult, trainVariables } from '../support/train_optimizer.js';

const STEPS = 5;
const NESTEROV = [false, true] as const;

const onCpu: TrainPlan = { shapes: SHAPES, steps: STEPS, backendAt: () => 'cpu' };

describe.each(NESTEROV)('FusedMomentumOptimizer, Nesterov %s', (useNesterov) => {
  const stock = (): tf.Optimizer => tf.train.momentum(0.01, 0.9, useNesterov);
  const fused = (): tf.Optimizer => momentum(0.01, 0.9, useNesterov);
  let want: TrainResult;
  let backend = '';
  beforeAll(async () => {
    want = await trainVariables(stock, onCpu);
    backend = (await openWasm({ threads: 2 })).tfjsName;
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  test("is tfjs's momentum where the fused kernel is missing (CPU backend)", async () => {
    expectSameRun(await trainVariables(fused, onCpu), want);
  });

  test.each(KERNEL_VARIANTS)("equals tfjs's momentum on the CPU backend: $kernelIsa build, $threads thread(s)", async (variant) => {
    const name = (await openWasm(variant)).tfjsName;
    expectSameRun(await trainVariables(fused, { ...onCpu, backendAt: () => name }), want);
  });

  test('takes turns with tfjs’s own path mid-run: fused, then cpu, then fused', async () => {
    const backendAt = (step: number): string => (step === 2 ? 'cpu' : backend);
    expectSameRun(await trainVariables(fused, { ...onCpu, backendAt }), want);
  });

  test('restores from its getWeights through setWeights and goes on equal', async () => {
    const [wantRestored, got] = [
      await trainVariables(stock, { ...onCpu, restoreAt: 3 }),
      await trainVariables(fused, { ...onCpu, backendAt: () => backend, restoreAt: 3 }),
    ];
    expectSameRun(got, wantRestored);
  });

  test('multiplies by the tensors tfjs does after setLearningRate and setMomentum', async () => {
    const retuned = (make: () => tf.Optimizer) => (): tf.Optimizer => {
      const optimizer = make() as tf.MomentumOptimizer;
      optimizer.setLearningRate(0.03);
      // tfjs keeps multiplying by the momentum it was made with: setMomentum changes only the config.
      optimizer.setMomentum(0.5);
      return optimizer;
    };
    const wantRetuned = await trainVariables(retuned(stock), onCpu);
    expectSameRun(await trainVariables(retuned(fused), { ...onCpu, backendAt: () => backend }), wantRetuned);
  });

  test("runs one fused kernel per variable, in place, and keeps tfjs's weight layout and config", async () => {
    await tf.setBackend(backend);
    const optimizer: tf.Optimizer = momentum(0.01, 0.9, useNesterov);
    const x = tf.variable(tf.ones([3]), true, `momentum_layout_${useNesterov}`);
    optimizer.applyGradients({ [x.name]: tf.fill([3], 0.5) });
    const data = x.dataId;
    const profile = await tf.profile(() => optimizer.applyGradients({ [x.name]: tf.fill([3], 0.5) }));
    expect(profile.kernelNames.filter((k) => k === 'ApplyMomentum')).toHaveLength(1);
    expect(profile.kernelNames).not.toContain('Add');
    expect(x.dataId).toBe(data);
    const weights = await optimizer.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', `${x.name}/momentum`]);
    const reference = tf.train.momentum(0.01, 0.9, useNesterov);
    expect(optimizer).toBeInstanceOf(tf.MomentumOptimizer);
    expect(optimizer.getClassName()).toBe('Momentum');
    expect(optimizer.getConfig()).toEqual(reference.getConfig());
    expect(tf.serialization.SerializationMap.getMap().classNameMap.Momentum?.[0]).toBe(tf.MomentumOptimizer);
    expect(FusedMomentumOptimizer.className).toBe('Momentum');
    optimizer.dispose();
    reference.dispose();
    x.dispose();
  });
});
