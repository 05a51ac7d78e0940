import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import type { ActiveBackend } from '../../../src/backends/types.js';
import { openWasm } from '../../../src/backends/wasm.js';
import { seededRandom } from '../../../src/util/random.js';
import { expectClose } from '../../support/expect_close.js';

/** Random shapes: odd sizes, vectors, batch 1 of the FC net, and a broadcast batch. */
const shapes = Array.from({ length: 10 }, (_, i) => {
  const r = seededRandom(200 + i);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  return { m: i === 0 ? 1 : int(1, 70), k: i === 1 ? 1 : int(1, 90), n: int(1, 45), batch: i === 2 ? 3 : 1, seed: i };
}).concat([{ m: 128, k: 500, n: 36, batch: 1, seed: 99 }]);

const variants = [
  { kernelIsa: 'relaxed' as const, threads: 2 },
  { kernelIsa: 'simd' as const, threads: 2 },
  { kernelIsa: 'relaxed' as const, threads: 1 },
];

let active: ActiveBackend | undefined;
afterAll(async () => active?.close());

function onBackend<T extends tf.Tensor>(name: string, make: () => T): Float32Array {
  tf.setBackend(name);
  return make().dataSync() as Float32Array;
}

describe.each(variants)('MatMul kernels on our wasm backend, %o', (variant) => {
  test.each(shapes)('BatchMatMul in all four transpose combinations matches the CPU backend: %o', async (s) => {
    active = await openWasm(variant);
    const ours = active.tfjsName;
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const aShape = s.batch > 1 ? [s.batch, ta ? s.k : s.m, ta ? s.m : s.k] : [ta ? s.k : s.m, ta ? s.m : s.k];
      const bShape = [tb ? s.n : s.k, tb ? s.k : s.n];
      const aData = tf.randomNormal(aShape, 0, 1, 'float32', s.seed).dataSync();
      const bData = tf.randomNormal(bShape, 0, 1, 'float32', s.seed + 50).dataSync();
      const run = () => tf.matMul(tf.tensor(aData, aShape), tf.tensor(bData, bShape), ta, tb);
      const want = onBackend('cpu', run);
      const got = onBackend(ours, run);
      expectClose(got, want, 2e-6 * Math.sqrt(s.k) + 1e-6);
    }
  });

  test.each(shapes.filter((s) => s.batch === 1))('_FusedMatMul with bias and ReLU matches the CPU backend: %o', async (s) => {
    active = await openWasm(variant);
    const ours = active.tfjsName;
    const aData = tf.randomNormal([s.m, s.k], 0, 1, 'float32', s.seed).dataSync();
    const bData = tf.randomNormal([s.k, s.n], 0, 1, 'float32', s.seed + 1).dataSync();
    const biasData = tf.randomNormal([s.n], 0, 1, 'float32', s.seed + 2).dataSync();
    for (const activation of ['relu', 'linear'] as const) {
      const run = () => tf.fused.matMul({ a: tf.tensor2d(aData, [s.m, s.k]), b: tf.tensor2d(bData, [s.k, s.n]), bias: tf.tensor1d(biasData), activation });
      const want = onBackend('cpu', run);
      const got = onBackend(ours, run);
      expectClose(got, want, 2e-6 * Math.sqrt(s.k) + 1e-6);
      if (activation === 'relu') expect(Array.from(got).some((v) => v === 0) && Array.from(got).some((v) => v > 0)).toBe(s.m * s.n > 8);
    }
  });
});
