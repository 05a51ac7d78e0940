// The timed part of a bench run, on whichever backend tfjs has active: the seeded batch, two warm-up steps,
// then the timed ones. Platform-neutral, so Node's timing child (train_step.ts) and the page's bench worker
// (web/bench_worker.ts) time exactly the same steps.
import * as tf from '@tensorflow/tfjs-core';
import { NUM_CLASSES } from '../src/data/dataset.js';
import { type BenchModel, benchSampleShape, makeBenchStep } from './bench_models.js';
import { median } from './stats.js';

/** Median, fastest and slowest timed step, in ms. */
export interface StepTimes {
  msPerBatch: number;
  minMs: number;
  maxMs: number;
}

/** Times `batches` training steps of `model` at `batchSize` on tfjs's active backend, after two warm-up steps. */
export async function timeBenchSteps(model: BenchModel, batches: number, batchSize: number): Promise<StepTimes> {
  const xs = tf.randomUniform([batchSize, ...benchSampleShape(model)], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([batchSize], 0, NUM_CLASSES, 'int32', 2) as tf.Tensor1D, NUM_CLASSES);
  const { step } = makeBenchStep(model, xs, ys);
  const times: number[] = [];
  // Two warm-up steps: the first compiles kernels and grows the heap, the second settles the optimizer state.
  for (let i = 0; i < batches + 2; i++) {
    const start = performance.now();
    await step();
    if (i >= 2) times.push(performance.now() - start);
  }
  return { msPerBatch: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) };
}
