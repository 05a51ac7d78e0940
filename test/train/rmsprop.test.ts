// The fused RMSprop optimizer against tfjs's own on the CPU backend over several steps: same variables,
// same gradients, so the same weights bit for bit. It must also be tfjs's optimizer where the fused
// kernel is missing, and keep tfjs's weight layout.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../src/backends/wasm.js';
import { FusedRMSPropOptimizer } from '../../src/train/rmsprop.js';
import { expectClose } from '../support/expect_close.js';
import { KERNEL_VARIANTS } from '../support/kernels/network_shapes.js';
import { randomTensor } from '../support/kernels/run_kernel.js';

const SHAPES = [[3136, 70], [70], [33, 17], [5]];
const STEPS = 4;

/** The variables' values after STEPS updates by `optimizer` with seeded gradients, on the current backend. */
function train(optimizer: tf.Optimizer, tag: string): Float32Array[] {
  const variables = SHAPES.map((shape, i) => tf.variable(tf.tensor(randomTensor(shape, i).data, shape), true, `${tag}_${i}`));
  for (let step = 0; step < STEPS; step++) {
    const grads: tf.NamedTensorMap = {};
    // Gradients that shrink over the steps, so later updates see an uneven mean square.
    SHAPES.forEach((shape, i) => {
      grads[variables[i]!.name] = tf.tensor(
        randomTensor(shape, 100 * step + i).data.map((v) => v / (step + 1)),
        shape,
      );
    });
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const values = variables.map((v) => v.dataSync() as Float32Array);
  tf.dispose(variables);
  optimizer.dispose();
  return values;
}

let counter = 0;
const fresh = (): string => `rmsprop_test_${counter++}`;

describe('FusedRMSPropOptimizer', () => {
  let want: Float32Array[] = [];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    want = train(tf.train.rmsprop(0.001), fresh());
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  test("is tfjs's RMSprop where the fused kernel is missing (CPU backend)", async () => {
    await tf.setBackend('cpu');
    const got = train(new FusedRMSPropOptimizer(0.001), fresh());
    got.forEach((values, i) => {
      expectClose(values, want[i]!, 0);
    });
  });

  test.each(KERNEL_VARIANTS)("equals tfjs's RMSprop on the CPU backend: $kernelIsa build, $threads thread(s)", async (variant) => {
    await openWasm(variant);
    const got = train(new FusedRMSPropOptimizer(0.001), fresh());
    got.forEach((values, i) => {
      expectClose(values, want[i]!, 0);
    });
  });

  test("runs one fused kernel per variable and keeps tfjs's weight layout: iterations, mean squares, moments", async () => {
    await openWasm({ threads: 1 });
    const optimizer = new FusedRMSPropOptimizer(0.001);
    const x = tf.variable(tf.ones([3]), true, fresh());
    optimizer.applyGradients({ [x.name]: tf.fill([3], 0.5) });
    const data = x.dataId;
    const profile = await tf.profile(() => optimizer.applyGradients({ [x.name]: tf.fill([3], 0.5) }));
    expect(profile.kernelNames).toContain('ApplyRMSProp');
    expect(profile.kernelNames).not.toContain('Sqrt');
    // Updated in place: the variable keeps its data.
    expect(x.dataId).toBe(data);
    const weights = await optimizer.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', `${x.name}/rms`, `${x.name}/momentum`]);
    const ms1 = Math.fround(Math.fround(0.25) * Math.fround(0.1));
    const ms2 = Math.fround(Math.fround(ms1 * Math.fround(0.9)) + ms1);
    expectClose(weights[1]!.tensor.dataSync(), new Float32Array(3).fill(ms2), 1e-7);
    optimizer.dispose();
    x.dispose();
  });
});
