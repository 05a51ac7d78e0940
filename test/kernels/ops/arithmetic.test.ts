// Add, Sub, RealDiv, Square and Sqrt on our backend against the CPU backend, bit for bit: each result is one correctly
// rounded f32 operation, which the CPU backend's f64 operation rounded once equals (signed zeros, infinities,
// subnormals included; any NaN for a NaN). Outputs start as a NaN sentinel, which no element may keep.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../../src/backends/wasm.js';
import { PARALLEL_MIN_ELEMENTS } from '../../../src/kernels/call/elementwise.js';
import { seededRandom } from '../../../src/util/random.js';
import { KERNEL_VARIANTS, QUICK_KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { SENTINEL_BITS, withSentinelOutputs } from '../../support/kernels/sentinel_heap.js';

/** The elementwise exports our kernels ran, in order: which form of an op took a case, or none (the stock kernel). */
const ran = vi.hoisted(() => [] as string[]);
vi.mock('../../../src/kernels/call/elementwise.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/kernels/call/elementwise.js')>();
  return {
    ...original,
    runElementwise: (...args: Parameters<typeof original.runElementwise>) => {
      ran.push(args[1]);
      original.runElementwise(...args);
    },
  };
});

/** Above the size at which our kernels split across threads, and not a whole number of blocks. */
const BIG = PARALLEL_MIN_ELEMENTS + 3;
const SIZES = [0, 1, 15, 16, 17, BIG];

const SUBNORMALS = [1e-45, -1e-45, 1.1754942e-38, -5.877e-39, 3e-41];
const SPECIALS = [0, -0, NaN, Infinity, -Infinity, 3.4e38, -3.4e38, 1.1754944e-38, ...SUBNORMALS, 1, -1, 2, 0.5];

/** Random values over a wide range of magnitudes, every third one a special value (which one depends on the seed). */
function values(n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    data[i] = i % 3 === seed % 3 ? SPECIALS[Math.floor(random() * SPECIALS.length)]! : (random() - 0.5) * 2 ** Math.floor(random() * 60 - 30);
  }
  return data;
}

interface Input {
  shape: number[];
  data: Float32Array;
}

function input(shape: number[], seed: number): Input {
  return {
    shape,
    data: values(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
  };
}

interface Output {
  shape: number[];
  /** The output's bytes as float32. */
  values: Float32Array;
}

/** Runs kernel `name` on `backend`, fresh outputs sentinel-filled, and returns the output's raw values. */
function runOn(backend: string, name: string, inputs: Record<string, Input>, dtype: tf.DataType = 'float32'): Output {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const made: Record<string, tf.Tensor> = {};
    for (const [key, t] of Object.entries(inputs)) made[key] = tf.tensor(t.data, t.shape, dtype);
    const out = withSentinelOutputs(backend, () => tf.engine().runKernel(name, made, {}) as tf.Tensor);
    const data = out.dataSync();
    return { shape: out.shape, values: data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>) };
  });
}

/** Same shape; every element the same by Object.is (-0 is not 0, any NaN is NaN), and none the sentinel. */
function expectSame(got: Output, want: Output): void {
  expect(got.shape).toEqual(want.shape);
  expect(got.values.length).toBe(want.values.length);
  const bits = new Uint32Array(got.values.buffer, got.values.byteOffset, got.values.length);
  let at = -1;
  for (let i = 0; i < want.values.length && at < 0; i++) {
    if (!Object.is(got.values[i], want.values[i]) || bits[i] === SENTINEL_BITS) at = i;
  }
  const why = at < 0 ? '' : `first difference at ${at}: got ${got.values[at]} (bits ${bits[at]!.toString(16)}), want ${want.values[at]}`;
  expect(at, why).toBe(-1);
}

const BINARY = [
  {
    name: 'Add',
    same: 'f32_add__wasmsimd',
    scalar: 'f32_add_scalar__wasmsimd',
    scalarFirst: 'f32_add_scalar__wasmsimd',
    channels: 'f32_add_channels__wasmsimd',
    channelsFirst: 'f32_add_channels__wasmsimd',
  },
  {
    name: 'Sub',
    same: 'f32_sub__wasmsimd',
    scalar: 'f32_sub_scalar__wasmsimd',
    scalarFirst: 'f32_rsub_scalar__wasmsimd',
    channels: 'f32_sub_channels__wasmsimd',
    channelsFirst: 'f32_rsub_channels__wasmsimd',
  },
  {
    name: 'RealDiv',
    same: 'f32_div__wasmsimd',
    scalar: 'f32_div_scalar__wasmsimd',
    scalarFirst: 'f32_rdiv_scalar__wasmsimd',
    channels: 'f32_div_channels__wasmsimd',
    channelsFirst: 'f32_rdiv_channels__wasmsimd',
  },
] as const;

type Form = 'same' | 'scalar' | 'scalarFirst' | 'channels' | 'channelsFirst';

/** Operand shapes (a, b) of each form our kernels take, over the sizes above. */
const CASES: ReadonlyArray<{ form: Form; a: number[]; b: number[] }> = [
  ...SIZES.map((n) => ({ form: 'same' as const, a: [n], b: [n] })),
  { form: 'same', a: [3, 5, 7], b: [3, 5, 7] },
  ...SIZES.map((n) => ({ form: 'scalar' as const, a: [n], b: [] })),
  ...SIZES.map((n) => ({ form: 'scalarFirst' as const, a: [], b: [n] })),
  { form: 'scalar', a: [3, 5], b: [1, 1] },
  { form: 'scalarFirst', a: [1], b: [2, 9] },
  // One element on both sides, of different ranks: the larger rank is the output's.
  { form: 'scalar', a: [1, 1], b: [1] },
  { form: 'scalarFirst', a: [], b: [1] },
  // Vectors along the last axis: channel counts of whole vectors (4, 16) and not (3, 17), short and threaded. A
  // vector of one channel is a scalar.
  ...[1, 3, 4, 16, 17].flatMap((c) => {
    const [plain, first] = c === 1 ? (['scalar', 'scalarFirst'] as const) : (['channels', 'channelsFirst'] as const);
    return [
      { form: plain, a: [5, c], b: [c] },
      { form: first, a: [1, 1, c], b: [2, 3, c] },
      { form: plain, a: [Math.ceil(BIG / c), c], b: [1, c] },
      { form: first, a: [c], b: [Math.ceil(BIG / c), c] },
    ];
  }),
  { form: 'channels', a: [0, 3], b: [3] },
];

/** Operand shapes our kernels leave to tfjs's own (other broadcasts). */
const STOCK_CASES: ReadonlyArray<{ a: number[]; b: number[] }> = [
  { a: [4, 3], b: [4, 1] },
  { a: [1, 3], b: [4, 1] },
  { a: [2, 1, 3], b: [5, 3] },
  { a: [1, 1, 1], b: [6] },
];

const UNARY = [
  { name: 'Square', fn: 'f32_square__wasmsimd' },
  { name: 'Sqrt', fn: 'f32_sqrt__wasmsimd' },
] as const;

// The CPU backend's answers, computed once for all variants.
const cpu = new Map<string, Output>();
function reference(key: string, name: string, inputs: Record<string, Input>): Output {
  let want = cpu.get(key);
  if (want === undefined) {
    want = runOn('cpu', name, inputs);
    cpu.set(key, want);
  }
  return want;
}

describe.each(KERNEL_VARIANTS)('Add, Sub, RealDiv, Square, Sqrt, $kernelIsa build, $threads thread(s)', (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  describe.each(BINARY)('$name', (op) => {
    test.each(CASES.map((c, i) => ({ ...c, seed: 10 + i })))('$form: $a and $b equal the CPU backend', ({ form, a, b, seed }) => {
      const inputs = { a: input(a, seed), b: input(b, seed + 1) };
      ran.length = 0;
      const got = runOn(backend, op.name, inputs);
      expect(ran).toEqual([op[form]]);
      expectSame(got, reference(`${op.name} ${seed}`, op.name, inputs));
    });

    test.each(STOCK_CASES)('other broadcasts ($a and $b) run the stock kernel and equal the CPU backend', ({ a, b }) => {
      const inputs = { a: input(a, 3), b: input(b, 4) };
      ran.length = 0;
      const got = runOn(backend, op.name, inputs);
      expect(ran).toEqual([]);
      expectSame(got, runOn('cpu', op.name, inputs));
    });
  });

  describe.each(UNARY)('$name', ({ name, fn }) => {
    test.each([...SIZES.map((n) => [n]), [3, 5, 7], []])('%j equals the CPU backend', (...shape) => {
      const inputs = { x: input(shape, 7 + shape.length) };
      ran.length = 0;
      const got = runOn(backend, name, inputs);
      expect(ran).toEqual([fn]);
      expectSame(got, reference(`${name} ${shape}`, name, inputs));
    });
  });

  test('int32 operands run the stock kernels', () => {
    const ints = { shape: [7], data: new Float32Array([1, -2, 3, 40000, 5, 0, -7]) };
    const twos = { shape: [7], data: new Float32Array([2, 2, -3, 3, 1, 9, 2]) };
    ran.length = 0;
    for (const name of ['Add', 'Sub']) {
      expectSame(runOn(backend, name, { a: ints, b: twos }, 'int32'), runOn('cpu', name, { a: ints, b: twos }, 'int32'));
    }
    expectSame(runOn(backend, 'Square', { x: ints }, 'int32'), runOn('cpu', 'Square', { x: ints }, 'int32'));
    expect(ran).toEqual([]);
  });
});

/** tfjs's optimizers, made afresh for each backend, and exports of ours each must have run: their updates dispatch Add, Sub, RealDiv, Square, Sqrt. */
const OPTIMIZERS: ReadonlyArray<{ name: string; make: () => tf.Optimizer; ours: readonly string[] }> = [
  {
    name: 'adam',
    make: () => tf.train.adam(0.01),
    ours: [
      'f32_sub__wasmsimd',
      'f32_add__wasmsimd',
      'f32_square__wasmsimd',
      'f32_div_scalar__wasmsimd',
      'f32_sqrt__wasmsimd',
      'f32_add_scalar__wasmsimd',
      'f32_div__wasmsimd',
    ],
  },
  { name: 'momentum', make: () => tf.train.momentum(0.05, 0.9), ours: ['f32_add__wasmsimd'] },
  { name: 'nesterov momentum', make: () => tf.train.momentum(0.05, 0.9, true), ours: ['f32_add__wasmsimd'] },
  { name: 'sgd', make: () => tf.train.sgd(0.1), ours: ['f32_add__wasmsimd'] },
  {
    name: 'centred rmsprop',
    make: () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-6, true),
    ours: ['f32_square__wasmsimd', 'f32_sub__wasmsimd', 'f32_sqrt__wasmsimd', 'f32_div__wasmsimd'],
  },
  { name: 'adagrad', make: () => tf.train.adagrad(0.1), ours: ['f32_square__wasmsimd', 'f32_sqrt__wasmsimd', 'f32_div__wasmsimd'] },
  { name: 'adadelta', make: () => tf.train.adadelta(0.5), ours: ['f32_square__wasmsimd', 'f32_sqrt__wasmsimd', 'f32_div__wasmsimd'] },
  { name: 'adamax', make: () => tf.train.adamax(0.01), ours: ['f32_div__wasmsimd'] },
];

/** The optimizers' variables: a threaded size, a matrix, a vector. */
const VARIABLE_SHAPES = [[BIG], [3, 5], [7]];

/** Finite values for training (a NaN or infinity would make every later value NaN), zeros and subnormals kept. */
function finiteValues(shape: number[], seed: number): Float32Array {
  return values(
    shape.reduce((a, b) => a * b, 1),
    seed,
  ).map((v) => (Number.isFinite(v) && Math.abs(v) < 1e30 ? v : 0.25));
}

/** Three steps of an optimizer on `backend` with fixed gradients: the variables, then the optimizer's own weights. */
async function train(backend: string, make: () => tf.Optimizer): Promise<Output[]> {
  tf.setBackend(backend);
  const variables = VARIABLE_SHAPES.map((shape, i) => tf.variable(tf.tensor(finiteValues(shape, 40 + i), shape)));
  const optimizer = make();
  for (let step = 0; step < 3; step++) {
    tf.tidy(() => {
      const grads = variables.map((v, i) => ({ name: v.name, tensor: tf.tensor(finiteValues(v.shape, 50 + 3 * step + i), v.shape) }));
      withSentinelOutputs(backend, () => optimizer.applyGradients(grads));
    });
  }
  // tfjs's Adamax has no getWeights.
  const weights = optimizer instanceof tf.AdamaxOptimizer ? [] : (await optimizer.getWeights()).map((w) => w.tensor);
  const outputs = [...variables, ...weights].map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
  optimizer.dispose();
  tf.dispose([...variables, ...weights]);
  return outputs;
}

describe.each(QUICK_KERNEL_VARIANTS)("tfjs's optimizers, $kernelIsa build, $threads thread(s)", (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  test.each(OPTIMIZERS)('$name updates equal the CPU backend bit for bit, through our kernels', async ({ make, ours }) => {
    const want = await train('cpu', make);
    ran.length = 0;
    const got = await train(backend, make);
    for (const fn of ours) expect(ran).toContain(fn);
    expect(got.length).toBe(want.length);
    for (const [i, g] of got.entries()) expectSame(g, want[i]!);
  });
});
