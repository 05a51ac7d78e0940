// Every f32 input where Tanh, Sigmoid and Elu compute anything (elsewhere they return x, 0, 1 or -1 by a clamp the
// sweep in elementwise_math.test.ts covers) against the CPU backend's formula, bit for bit, on both kernel builds.
// Billions of values: hours on the shared 2-core machine (about 15 s per 4M tanh inputs under load), so run on
// demand with MATH_EXHAUSTIVE=1
//   MATH_EXHAUSTIVE=1 npx vitest run test/kernels/ops/elementwise_math_exhaustive.test.ts
// Tanh is odd in the kernel (the fast path works on |x| and puts the sign back; fdlibm's does the same), so only
// its positive inputs are run.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../../src/backends/wasm.js';
import { KERNEL_ISAS } from '../../support/kernels/network_shapes.js';
import { runOpOn } from '../../support/kernels/run_kernel.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (v: number): number => {
  f32[0] = v;
  return u32[0]!;
};

/** Each op's CPU formula and the bit-pattern ranges [from, to] it is run on (negative floats: sign bit set). */
const CASES: ReadonlyArray<{ name: string; op: (x: tf.Tensor) => tf.Tensor; cpu: (v: number) => number; ranges: Array<[number, number]> }> = [
  { name: 'tanh', op: (x) => tf.tanh(x), cpu: (v) => Math.tanh(v), ranges: [[bitsOf(2 ** -28), bitsOf(10)]] },
  {
    name: 'sigmoid',
    op: (x) => tf.sigmoid(x),
    cpu: (v) => 1 / (1 + Math.exp(-v)),
    ranges: [
      [0, bitsOf(17)],
      [0x80000000, bitsOf(-104)],
    ],
  },
  { name: 'elu', op: (x) => tf.elu(x), cpu: (v) => (v >= 0 ? v : Math.exp(v) - 1), ranges: [[0x80000000, bitsOf(-18)]] },
];

const CHUNK = 1 << 22;

describe.runIf(process.env.MATH_EXHAUSTIVE === '1').each(KERNEL_ISAS)('every f32 input, %s build', (kernelIsa) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm({ threads: 2, kernelIsa })).tfjsName;
  });

  test.each(CASES)(
    '$name equals the CPU formula',
    ({ op, cpu, ranges }) => {
      const bits = new Uint32Array(CHUNK);
      const xs = new Float32Array(bits.buffer);
      let differ = 0;
      let first = '';
      for (const [from, to] of ranges) {
        for (let start = from; start <= to; start += CHUNK) {
          const n = Math.min(CHUNK, to - start + 1);
          for (let i = 0; i < n; i++) bits[i] = start + i;
          const got = runOpOn(backend, () => op(tf.tensor1d(xs.subarray(0, n))));
          for (let i = 0; i < n; i++) {
            const want = Math.fround(cpu(xs[i]!));
            if (Object.is(got[i], want)) continue;
            differ++;
            if (first === '') first = `input ${xs[i]} (0x${(start + i).toString(16)}): got ${got[i]}, want ${want}`;
          }
        }
      }
      expect(differ, first).toBe(0);
    },
    3_600_000,
  );
});
