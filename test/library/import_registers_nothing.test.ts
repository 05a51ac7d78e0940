// A program that imports the package (and its layers, and the trainer) without starting our backend gets no
// new tfjs backend: tfjs-backend-wasm, which registers the stock `wasm` backend when loaded, is loaded
// only when a WASM backend starts. Vitest runs each file in a fresh process, so tfjs here has the cpu
// backend only, as a program that never asked for WASM has.
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';

test('importing the package, the notebook networks and the trainer registers no backend and no kernel', async () => {
  const kernelsBefore = tf.getKernelsForBackend('cpu').length;
  await import('../../src/index.js');
  await import('../../src/optimizers.js');
  await import('../../src/models/registry.js');
  await import('../../src/train/run.js');
  expect(tf.findBackendFactory('wasm')).toBeNull();
  expect(tf.findBackendFactory('alnum-wasm')).toBeNull();
  expect(tf.getKernelsForBackend('wasm')).toEqual([]);
  expect(tf.getKernelsForBackend('cpu')).toHaveLength(kernelsBefore);
  await tf.ready();
  expect(tf.getBackend()).toBe('cpu');
});

test('starting our backend then loads the stock one, whose kernels ours are copied from', async () => {
  const { useTrainingBackend } = await import('../../src/index.js');
  const backend = await useTrainingBackend({ threads: 1 });
  try {
    expect(tf.getBackend()).toBe('alnum-wasm');
    expect(tf.getKernelsForBackend('wasm').length).toBeGreaterThan(100);
  } finally {
    await backend.close();
  }
});
