// Our backend's kernel threads belong to each backend instance tfjs makes: tfjs-core's own test suite resets
// the engine (disposing every instance) before each top-level describe, and the next instance must compute
// on threads of its own while the disposed one's are stopped.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, test } from 'vitest';
import { OWN_WASM } from '../../src/backends/types.js';
import { openWasm } from '../../src/backends/wasm.js';
import { kernelContext } from '../../src/kernels/call/context.js';

/** A product big enough for our BatchMatMul to split it across threads, checked against its exact value. */
function expectThreadedMatMulWorks(): void {
  const a = tf.ones([64, 96]);
  const b = tf.fill([96, 40], 0.5);
  const product = tf.matMul(a, b).dataSync();
  expect(product.length).toBe(64 * 40);
  expect(product.every((v) => v === 48)).toBe(true);
  tf.dispose([a, b]);
}

const poolOf = (backend: tf.KernelBackend) => kernelContext(backend).pool;

describe('our wasm backend across instances', () => {
  afterAll(() => tf.engine().reset());

  test('after tf.engine().reset() a new instance gets its own threads, and the old instance stops its own', async () => {
    await openWasm({ threads: 2 });
    const first = tf.backend();
    expectThreadedMatMulWorks();
    tf.engine().reset();
    expect(() => poolOf(first).parallelFor('x', [], 1)).toThrow(/kernel pool is closed/);

    expect(await tf.setBackend(OWN_WASM)).toBe(true);
    const second = tf.backend();
    expect(second).not.toBe(first);
    expect(poolOf(second).threads).toBe(2);
    expectThreadedMatMulWorks();
  });

  test('openWasm with other options restarts the threads of the current instance and keeps its tensors', async () => {
    const before = await openWasm({ threads: 2 });
    const kept = tf.tensor([1, 2, 3]);
    const oldPool = poolOf(tf.backend());
    const after = await openWasm({ threads: 3 });
    expect(after.threads).toBe(3);
    expect(poolOf(tf.backend())).not.toBe(oldPool);
    expect(() => oldPool.parallelFor('x', [], 1)).toThrow(/kernel pool is closed/);
    expect(Array.from(kept.dataSync())).toEqual([1, 2, 3]);
    expectThreadedMatMulWorks();
    // Closing the earlier handle does not stop the later one's threads.
    await before.close();
    expectThreadedMatMulWorks();
  });

  test('close() stops the threads; opening again starts new ones on the same instance', async () => {
    const active = await openWasm({ threads: 2 });
    const backend = tf.backend();
    await active.close();
    expect(() => poolOf(backend).parallelFor('x', [], 1)).toThrow(/kernel pool is closed/);
    await openWasm({ threads: 2 });
    expect(tf.backend()).toBe(backend);
    expectThreadedMatMulWorks();
  });
});
