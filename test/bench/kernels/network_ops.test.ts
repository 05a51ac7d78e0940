import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETWORK_OPS } from '../../../bench/kernels/network_ops.js';
import { opId, type TrainingOp, values } from '../../../bench/kernels/training_ops.js';
import { timeKernels } from '../../../bench/profile/kernel_timer.js';
import type { ActiveBackend } from '../../../src/backends/types.js';
import { openWasm } from '../../../src/backends/wasm.js';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../../../src/data/dataset.js';
import { buildModel, MODEL_NAMES, type ModelName, takesImages } from '../../../src/models/registry.js';
import { compileForTraining } from '../../../src/train/compile.js';
import { trainStep } from '../../../src/train/train_step.js';

/** The kernel each timed op runs on our backend; Add and Sum are left out, as the loss calls them too. */
function ourKernel(op: TrainingOp): string | undefined {
  if (op.kernel !== undefined) return op.kernel;
  const byName: ReadonlyArray<readonly [RegExp, string]> = [
    [/^Relu$/, 'Relu'],
    [/^ReluGrad \+ bias Sum$/, 'AlnumReluGradBiasSum'],
    [/^MaxPoolGrad .* \+ ReluGrad$/, 'AlnumMaxPoolReluGrad'],
    [/^Dropout/, 'StatelessDropout'],
    [/^RMSprop/, 'ApplyRMSProp'],
  ];
  return byName.find(([pattern]) => pattern.test(op.op))?.[1];
}

/** Calls per kernel in one real training step of `name` on the current backend. */
async function stepCalls(name: ModelName, batch: number): Promise<Map<string, number>> {
  const model = buildModel(name, 1);
  compileForTraining(model, 0.001);
  const xs = tf.randomUniform(takesImages(name) ? [batch, IMAGE_SIZE, IMAGE_SIZE, 1] : [batch, PIXELS], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([batch], 0, NUM_CLASSES, 'int32', 2) as tf.Tensor1D, NUM_CLASSES);
  trainStep(model, xs, ys);
  const timer = timeKernels(tf.getBackend());
  trainStep(model, xs, ys);
  const calls = new Map<string, number>();
  for (const row of timer.rows()) calls.set(row.kernel, (calls.get(row.kernel) ?? 0) + row.calls);
  timer.stop();
  tf.dispose([xs, ys]);
  model.dispose();
  return calls;
}

describe('NETWORK_OPS', () => {
  let backend: ActiveBackend;
  beforeAll(async () => {
    backend = await openWasm({ threads: 1 });
  });
  afterAll(async () => {
    await backend.close();
  });

  it('names every op once', () => {
    const ids = NETWORK_OPS.map(opId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(MODEL_NAMES)('counts the calls a real %s training step makes to each timed kernel', async (name) => {
    const expected = new Map<string, number>();
    for (const op of NETWORK_OPS.filter((o) => o.network === name)) {
      const kernel = ourKernel(op);
      if (kernel !== undefined) expected.set(kernel, (expected.get(kernel) ?? 0) + op.perStep);
    }
    const actual = await stepCalls(name, 8);
    expect(Object.fromEntries([...expected.keys()].map((k) => [k, actual.get(k) ?? 0]))).toEqual(Object.fromEntries(expected));
    // The list covers the step's heavy kernels: none of these is run without being timed.
    for (const kernel of ['BatchMatMul', '_FusedMatMul', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MaxPool', 'MaxPoolGrad', 'ReluGrad']) {
      expect(expected.get(kernel) ?? 0, kernel).toBe(actual.get(kernel) ?? 0);
    }
  });

  it('runs every op on our backend with work to count, on seeded operands of both signs', () => {
    for (const op of NETWORK_OPS) {
      expect(op.size(128).work, opId(op)).toBeGreaterThan(0);
      const prepared = op.prepare(2);
      expect(() => prepared.run(), opId(op)).not.toThrow();
      prepared.dispose();
    }
    const operand = values([4, 700], 1);
    const data = operand.dataSync();
    operand.dispose();
    expect(data.some((v) => v < 0) && data.some((v) => v > 0)).toBe(true);
  });
});
