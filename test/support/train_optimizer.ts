// Shared by the fused optimizers' tests: seeded variables trained for a few steps by an optimizer, optionally
// switching backend between steps or restoring the optimizer from its weights mid-run, and what came out.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { expectBitwise } from './expect_close.js';
import { randomTensor } from './kernels/run_kernel.js';

/** The MLP's largest variable (split across threads), sizes not a multiple of 4, and a scalar. */
export const OPTIMIZER_TEST_SHAPES: number[][] = [[3136, 70], [70], [33, 17], [5], []];

/** How a run goes: which backend each step runs on, and where (if anywhere) the optimizer is rebuilt from its weights. */
export interface TrainPlan {
  shapes: number[][];
  steps: number;
  /** The backend of step `step` (the variables are made on step 0's). */
  backendAt: (step: number) => string;
  /** Before this step, a new optimizer takes the old one's getWeights through setWeights on `restoreOn`. */
  restoreAt?: number;
  restoreOn?: string;
}

/** The variables' final values and the optimizer's final weights, names and values. */
export interface TrainResult {
  values: Float32Array[];
  weights: { name: string; values: Float32Array }[];
}

let counter = 0;

/** Trains seeded variables with `make()`'s optimizer by `plan`, with gradients that shrink over the steps. */
export async function trainVariables(make: () => tf.Optimizer, plan: TrainPlan): Promise<TrainResult> {
  await tf.setBackend(plan.backendAt(0));
  const tag = `optimizer_test_${counter++}`;
  const variables = plan.shapes.map((shape, i) => tf.variable(tf.tensor(randomTensor(shape, i).data, shape), true, `${tag}_${i}`));
  let optimizer = make();
  for (let step = 0; step < plan.steps; step++) {
    if (step === plan.restoreAt) {
      await tf.setBackend(plan.restoreOn ?? plan.backendAt(step));
      const saved = (await optimizer.getWeights()).map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) }));
      const restored = make();
      await restored.setWeights(saved);
      optimizer.dispose();
      tf.dispose(saved.map((w) => w.tensor));
      optimizer = restored;
    }
    await tf.setBackend(plan.backendAt(step));
    const grads: tf.NamedTensorMap = {};
    plan.shapes.forEach((shape, i) => {
      grads[variables[i]!.name] = tf.tensor(
        randomTensor(shape, 100 * step + i).data.map((v) => v / (step + 1)),
        shape,
      );
    });
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const values = variables.map((v) => Float32Array.from(v.dataSync()));
  const weights = (await optimizer.getWeights()).map(({ name, tensor }) => ({ name: name.replace(tag, 'v'), values: Float32Array.from(tensor.dataSync()) }));
  tf.dispose(variables);
  optimizer.dispose();
  return { values, weights };
}

/** The same variables and the same optimizer weights, names and values, bit for bit. */
export function expectSameRun(got: TrainResult, want: TrainResult): void {
  got.values.forEach((values, i) => {
    expectBitwise(values, want.values[i]!);
  });
  expect(got.weights.map((w) => w.name)).toEqual(want.weights.map((w) => w.name));
  got.weights.forEach((w, i) => {
    expectBitwise(w.values, want.weights[i]!.values);
  });
}
