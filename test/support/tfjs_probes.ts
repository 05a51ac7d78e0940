// Small helpers for tests of ops built on tfjs: operands that are neither zeros nor one-signed, and the
// list of kernels a piece of work runs.
import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from '../../src/util/random.js';

/** Seeded values in [-1, 1), so that ReLU both passes and blocks. */
export function signedRandomTensor(shape: number[], seed: number): tf.Tensor {
  const random = seededRandom(seed);
  return tf.tensor(
    new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => random() * 2 - 1),
    shape,
  );
}

/** The names of the kernels the engine runs while `work` runs, in order. */
export function kernelsRun(work: () => void): string[] {
  const counted: string[] = [];
  const engine = tf.engine() as unknown as { runKernel: (name: string, ...rest: unknown[]) => unknown };
  const runKernel = engine.runKernel.bind(engine);
  engine.runKernel = (name, ...rest) => {
    counted.push(name);
    return runKernel(name, ...rest);
  };
  try {
    work();
  } finally {
    engine.runKernel = runKernel;
  }
  return counted;
}
