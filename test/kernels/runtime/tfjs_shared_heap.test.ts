import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// The stock kernels this test copies; the package itself loads them only when a WASM backend starts.
import '@tensorflow/tfjs-backend-wasm';
import { tensorOffset } from '../../../src/kernels/call/wasm_heap.js';
import { compileKernelModule } from '../../../src/kernels/runtime/kernel_module.js';
import { KernelPool } from '../../../src/kernels/runtime/pool.js';
import { type SharedHeapBackend, sharedMemoryOf, useSharedHeapBackend } from '../../../src/kernels/runtime/tfjs_shared_heap.js';
import { compileTestKernels } from '../../support/kernels/compile_fixture.js';

const NAME = 'wasm-shared-heap-test';

describe('tfjs-backend-wasm on a shared heap, with kernel threads on the same memory', () => {
  let backend: SharedHeapBackend;
  let memory: WebAssembly.Memory;
  let pool: KernelPool;

  beforeAll(async () => {
    // Under its own name, copying the stock kernels as src/backends/alnum_wasm.ts does for its backend.
    tf.registerBackend(NAME, async () => {
      const { createSharedHeapBackend } = await import('../../../src/kernels/runtime/tfjs_shared_heap.js');
      return createSharedHeapBackend();
    });
    for (const kernel of tf.getKernelsForBackend('wasm')) tf.registerKernel({ ...kernel, backendName: NAME });
    expect(await tf.setBackend(NAME)).toBe(true);
    backend = tf.backend() as SharedHeapBackend;
    memory = sharedMemoryOf(backend);
    pool = await KernelPool.create(await compileKernelModule(await compileTestKernels()), memory, { threads: 2 });
  });
  afterAll(async () => {
    await pool.close();
    tf.removeBackend(NAME);
  });

  test("tfjs's heap is the shared memory", () => {
    expect(backend.wasm.HEAPU8.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(backend.wasm.HEAPU8.buffer).toBe(memory.buffer);
  });

  test('kernel threads update tensors in place and tfjs reads the result', () => {
    const n = 50_000;
    const x = tf.range(0, n, 1, 'float32');
    const y = tf.onesLike(x);
    pool.parallelFor('axpy', [2, tensorOffset(backend, x), tensorOffset(backend, y)], n, 8);
    const got = y.dataSync();
    for (const i of [0, 1, 12_345, n - 1]) expect(got[i]).toBe(2 * i + 1);
    // tfjs ops on the updated tensor see the new values too.
    expect(Math.abs(tf.sum(y).dataSync()[0]! / (n * n) - 1)).toBeLessThan(1e-4);
    tf.dispose([x, y]);
  });

  test('memory grown by tfjs is visible to the kernel threads', () => {
    const before = memory.buffer.byteLength;
    const big = tf.zeros([Math.ceil(before / 4) + 1_000_000]); // forces the heap to grow
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    const n = big.size;
    const x = tf.fill([n], 3);
    // Both ends of the tensors lie beyond the old size of the heap, where the worker must now reach.
    pool.parallelFor('axpy', [1, tensorOffset(backend, x), tensorOffset(backend, big)], n, 16);
    const got = big.dataSync();
    expect(got[0]).toBe(3);
    expect(got[n - 1]).toBe(3);
    expect(tensorOffset(backend, x) + 4 * n).toBeGreaterThan(before);
    tf.dispose([big, x]);
  });

  test('tfjs-layers trains on it', async () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [16], units: 32, activation: 'relu' }), tfl.layers.dense({ units: 4, activation: 'softmax' })],
    });
    model.compile({ optimizer: tf.train.rmsprop(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.randomUniform([64, 16], 0, 1, 'float32', 1);
    const labels = tf.oneHot(tf.argMax(tf.slice(xs, [0, 0], [64, 4]), 1), 4);
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) losses.push(Number(await model.trainOnBatch(xs, tf.cast(labels, 'float32'))));
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    model.dispose();
    tf.dispose([xs, labels]);
  });
});

describe('useSharedHeapBackend', () => {
  test("replaces tfjs-backend-wasm's own registration", async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    const backend = await useSharedHeapBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(backend.wasm.HEAPU8.buffer).toBe(sharedMemoryOf(backend).buffer);
    expect(
      tf
        .matMul(
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
          tf.tensor2d([[1], [1]]),
        )
        .dataSync(),
    ).toEqual(new Float32Array([3, 7]));
    expect(() => sharedMemoryOf({})).toThrow(/not created by createSharedHeapBackend/);
  });
});
