// Tanh, Sigmoid, Elu and EluGrad on our backend against tfjs's CPU backend, bit for bit: the kernels evaluate
// fdlibm's exp and tanh in f64 exactly as V8's Math.exp and Math.tanh do, so every f32 result is the same, not
// merely within an ulp. A sweep of f32 bit patterns, the awkward values, and whole ops (with their gradients)
// at sizes around the vector width and above the size at which these kernels split across threads.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
// Registers tfjs's gradients, as a program training with tfjs-layers has them.
import '@tensorflow/tfjs-layers';
import { openWasm } from '../../../src/backends/wasm.js';
import { MATH_PARALLEL_MIN_ELEMENTS } from '../../../src/kernels/call/elementwise.js';
import { KERNEL_ISAS, KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { type HostTensor, randomTensor, runOpOn } from '../../support/kernels/run_kernel.js';

/** The CPU backend's formula for each op, in f64 and rounded once to f32 (tfjs-backend-cpu's kernels). */
const OPS: ReadonlyArray<{ name: string; op: (x: tf.Tensor) => tf.Tensor; cpu: (v: number) => number }> = [
  { name: 'tanh', op: (x) => tf.tanh(x), cpu: (v) => Math.tanh(v) },
  { name: 'sigmoid', op: (x) => tf.sigmoid(x), cpu: (v) => 1 / (1 + Math.exp(-v)) },
  { name: 'elu', op: (x) => tf.elu(x), cpu: (v) => (v >= 0 ? v : Math.exp(v) - 1) },
];

/** Sizes around one vector and one 16-float block, and above the size the kernels split across threads at. */
const SIZES = [0, 1, 15, 16, 17, MATH_PARALLEL_MIN_ELEMENTS + 3];

/**
 * Subnormals, and the ends of each op's interesting ranges (fdlibm's 2^-28 and 0.5 ln 2 thresholds, tanh rounding to
 * 1 from 9.01, exp's f32 under- and overflow near 88.7 and 103.9), of both signs.
 */
const MAGNITUDES = [0, Infinity, 1e-45, 5e-39, 1.1754942e-38, 1e-8, 2 ** -28, 0.34657359, 1, 1.0397, 9.01, 10, 22, 88.7, 103.9, 3.4e38];
const SPECIALS = [NaN, ...MAGNITUDES.flatMap((v) => [v, -v])];

/** f32 bit patterns: every 2^8-th over +-[2^-30, 20], every 2^16-th over +-[20, 3.4e38] (about 2.3M values). */
function sweep(): Float32Array {
  const bits: number[] = [];
  const asBits = (v: number): number => new Uint32Array(new Float32Array([v]).buffer)[0]!;
  for (let b = asBits(2 ** -30); b < asBits(20); b += 256) bits.push(b, b | 0x80000000);
  for (let b = asBits(20); b <= 0x7f7fffff; b += 65536) bits.push(b, b | 0x80000000);
  return new Float32Array(Uint32Array.from(bits).buffer);
}

const f32Word = new Float32Array(1);
const i32Word = new Int32Array(f32Word.buffer);

/**
 * Inputs whose CPU result F (in f64) lies within 2^-48 (relative; absolute for elu) of an f32 rounding midpoint, or exactly on one, so the
 * kernels' fast path cannot decide the rounding and takes fdlibm's exact path (elementwise_math.ts). Found by
 * running the CPU formula over every f32 in tanh's [0.0002, 10], sigmoid's [-90, -0.0002] and [0.0002, 17] and
 * elu's [-17, -0.0002], keeping the closest to a midpoint (as f32 bit patterns). Tanh is odd: its negatives too.
 */
const NEAR_MIDPOINT: Readonly<Record<string, readonly number[]>> = {
  tanh: [0x3ac37de2, 0x3eee0566, 0x40acb4d0, 0x3cd41b91, 0x40c5e8ca, 0x3d7c3055, 0x40a6ef82, 0x3ff8bc7e].flatMap((b) => [b, b | 0x80000000]),
  sigmoid: [0x3d21bc81, 0x3b128604, 0x3a689801, 0x3e8dffaf, 0xba928601, 0xbe104170, 0xbf1964d0, 0xbda363f4, 0xc164ddcb, 0xc2b2e798],
  elu: [0xb959aaf6, 0xb959bdc7, 0xb95a2e8b, 0xb95c1496, 0xb95e403f, 0xb95ec11f, 0xb960e62d, 0xb9628799],
};

/** Distance from v (an f64) to the f32 rounding midpoint on its side of fround(v); Infinity if v is an f32. */
function midpointDistance(v: number): number {
  const f = Math.fround(v);
  if (f === v) return Infinity;
  f32Word[0] = f;
  i32Word[0]! += Math.abs(v) > Math.abs(f) ? 1 : -1;
  return Math.abs(v - (f + f32Word[0]!) / 2);
}

/** Distance in f32 ulps (the order of the bit patterns, signs folded), 0 for two NaNs. */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const order = (v: number): number => {
    f32Word[0] = v;
    const bits = i32Word[0]!;
    return bits < 0 ? -(bits & 0x7fffffff) : bits;
  };
  return Math.abs(order(a) - order(b));
}

/** The same values bit for bit (Object.is: -0 is not 0, NaN is NaN); reports the first difference. */
function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, inputs?: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  let at = -1;
  for (let i = 0; i < want.length && at < 0; i++) if (!Object.is(got[i], want[i])) at = i;
  const input = inputs === undefined ? '' : ` for input ${inputs[at]}`;
  expect(at, `first difference at ${at}${input}: got ${got[at]}, want ${want[at]} (${ulps(got[at]!, want[at]!)} ulp)`).toBe(-1);
}

/** Random values with the awkward ones sprinkled in: zeros of both signs, NaN, infinities, large magnitudes. */
function awkward(shape: number[], seed: number, spread = 4): HostTensor {
  const t = randomTensor(shape, seed);
  for (let i = 0; i < t.data.length; i++) t.data[i]! *= spread;
  const specials = [0, -0, NaN, Infinity, -Infinity, 12, -120];
  for (let i = 5; i < t.data.length; i += 37) t.data[i] = specials[((i - 5) / 37) % specials.length]!;
  return t;
}

/** Runs `op` on host inputs made into tensors on `backend`. */
function run(backend: string, inputs: HostTensor[], op: (...xs: tf.Tensor[]) => tf.Tensor): Float32Array {
  return runOpOn(backend, () => op(...inputs.map((t) => tf.tensor(t.data, t.shape))));
}

describe.each(KERNEL_ISAS.map((kernelIsa) => ({ kernelIsa, threads: 2 })))('f32 sweep, $kernelIsa build', (variant) => {
  let backend = '';
  const values = sweep();
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  test.each(OPS)("$name equals the CPU backend's formula on every swept f32 and on the awkward values", ({ op, cpu }) => {
    for (const xs of [values, Float32Array.from(SPECIALS)]) {
      const got = run(backend, [{ shape: [xs.length], data: xs }], op);
      const want = xs.map((v) => cpu(v));
      let differ = 0;
      let worst = 0;
      for (let i = 0; i < xs.length; i++) {
        if (Object.is(got[i], want[i])) continue;
        differ++;
        worst = Math.max(worst, ulps(got[i]!, want[i]!));
      }
      expect(worst, 'largest difference in ulps').toBe(0);
      expect(differ, 'results that differ (Object.is: signed zeros count, NaNs are equal)').toBe(0);
    }
  });

  test.each(OPS)('$name takes the exact path on inputs whose result is next to an f32 midpoint, and equals the CPU there', ({ name, op, cpu }) => {
    const xs = new Float32Array(Uint32Array.from(NEAR_MIDPOINT[name]!).buffer);
    for (const x of xs) {
      const want = cpu(x);
      // The fast path's interval (2^-40 of tanh and sigmoid, 2^-42 of elu, around a result within 2^-43 of F)
      // then holds the midpoint.
      const bound = name === 'elu' ? 2 ** -44 : 2 ** -44 * Math.abs(want);
      expect(midpointDistance(want), `input ${x}: CPU result ${want} is not next to an f32 midpoint`).toBeLessThan(bound);
    }
    // Every lane of a vector, and in the last partial vector.
    for (const offset of [0, 1, 2, 3]) {
      const padded = Float32Array.from([...new Array<number>(offset).fill(0.5), ...xs]);
      expectSame(
        run(backend, [{ shape: [padded.length], data: padded }], op),
        padded.map((v) => Math.fround(cpu(v))),
        padded,
      );
    }
  });

  test('EluGrad equals the CPU formula dy * (y + 1), rounded once from f64, on swept y in [-1, 0) and awkward dy', () => {
    const ys = values.filter((v) => v >= -1 && v < 0);
    const dys = Float32Array.from(ys, (_, i) => (i % 2 === 0 ? 1 : -1) * (1 + (i % 1000) / 7));
    const got = runOpOn(backend, () => tf.engine().runKernel('EluGrad', { dy: tf.tensor(dys), y: tf.tensor(ys) }) as tf.Tensor);
    expectSame(
      got,
      ys.map((y, i) => Math.fround(dys[i]! * (y + 1))),
      ys,
    );
  });
});

describe.each(KERNEL_VARIANTS)('Tanh, Sigmoid, Elu, EluGrad, $kernelIsa build, $threads thread(s)', (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  describe.each(OPS)('$name', ({ op }) => {
    test.each(SIZES)('equals the CPU backend on %i elements', (n) => {
      const x = awkward([n], n + 11);
      expectSame(run(backend, [x], op), run('cpu', [x], op), x.data);
    });

    test("and so does its gradient (tfjs-core's, through EluGrad for elu)", () => {
      for (const shape of [[3, 5, 7], [MATH_PARALLEL_MIN_ELEMENTS + 3]]) {
        const inputs = [awkward(shape, 3, 2), randomTensor(shape, 4)];
        const grad = (x: tf.Tensor, dy: tf.Tensor): tf.Tensor => tf.grad(op)(x, dy);
        expectSame(run(backend, inputs, grad), run('cpu', inputs, grad));
      }
    });
  });

  test.each(SIZES)('EluGrad equals the CPU backend on %i elements', (n) => {
    const y = run('cpu', [awkward([n], n + 5)], (x) => tf.elu(x));
    const inputs = [awkward([n], n + 6), { shape: [n], data: y }];
    const eluGrad = (dy: tf.Tensor, t: tf.Tensor): tf.Tensor => tf.engine().runKernel('EluGrad', { dy, y: t }) as tf.Tensor;
    expectSame(run(backend, inputs, eluGrad), run('cpu', inputs, eluGrad));
  });

  test("int32 inputs run tfjs's own kernels", () => {
    tf.setBackend(backend);
    const x = tf.tensor([1, -2, 0, 3], [4], 'int32');
    for (const name of ['Tanh', 'Sigmoid', 'Elu']) {
      const out = tf.engine().runKernel(name, { x }) as tf.Tensor;
      expect(out.dtype).toBe('int32');
      out.dispose();
    }
    x.dispose();
  });
});
