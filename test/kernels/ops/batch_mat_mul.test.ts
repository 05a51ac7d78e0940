import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../../src/backends/wasm.js';
import { expectClose } from '../../support/expect_close.js';
import { matmulReference } from '../../support/kernels/gemm_reference.js';
import { biasShapes, FUSED_ACTIVATIONS, MATMUL_CASES, type MatMulCase, PER_DIMENSION_CASES } from '../../support/kernels/matmul_cases.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { randomTensor, runOpOn } from '../../support/kernels/run_kernel.js';

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/** a and b's shapes for a case and transpose combination. */
function shapes(c: MatMulCase, ta: boolean, tb: boolean): { aShape: number[]; bShape: number[] } {
  return { aShape: [...c.aBatch, ta ? c.k : c.m, ta ? c.m : c.k], bShape: [...c.bBatch, tb ? c.n : c.k, tb ? c.k : c.n] };
}

function tolerance(c: MatMulCase): number {
  return 2e-6 * Math.sqrt(c.k) + 1e-6;
}

// tfjs-core's fused_mat_mul_test.js, spec by spec: a, b, bias and prelu weights as there, and the values it expects.
const A = [1, 2, 3, 4, 5, 6];
const B = [0, 1, -3, 2, 2, 1];
const FUSED_SPECS: ReadonlyArray<{ name: string; run: () => tf.Tensor; want: number[] }> = [
  { name: 'elu', run: () => tf.fused.matMul({ a: tf.tensor2d(A, [2, 3]), b: tf.tensor2d(B, [3, 2]), activation: 'elu' }), want: [0, 8, -0.9502, 20] },
  { name: 'relu6', run: () => tf.fused.matMul({ a: tf.tensor2d(A, [2, 3]), b: tf.tensor2d(B, [3, 2]), activation: 'relu6' }), want: [0, 6, 0, 6] },
  {
    name: 'prelu',
    run: () =>
      tf.fused.matMul({ a: tf.tensor2d(A, [2, 3]), b: tf.tensor2d(B, [3, 2]), activation: 'prelu', preluActivationWeights: tf.tensor2d([0.5, 0.5], [1, 2]) }),
    want: [0, 8, -1.5, 20],
  },
  {
    name: 'leakyrelu',
    run: () => tf.fused.matMul({ a: tf.tensor2d(A, [2, 3]), b: tf.tensor2d(B, [3, 2]), activation: 'leakyrelu', leakyreluAlpha: 0.3 }),
    want: [0, 8, -0.9000000357627869, 20],
  },
  {
    name: 'leakyrelu not provided',
    run: () => tf.fused.matMul({ a: tf.tensor2d(A, [2, 3]), b: tf.tensor2d(B, [3, 2]), activation: 'leakyrelu' }),
    want: [0, 8, -0.6, 20],
  },
  {
    name: 'sigmoid',
    run: () => tf.fused.matMul({ a: tf.tensor2d(A, [2, 3]), b: tf.tensor2d(B, [3, 2]), activation: 'sigmoid' }),
    want: [0.5, 0.99966, 0.04743, 1],
  },
  {
    name: 'elu and broadcasted bias',
    run: () => tf.fused.matMul({ a: tf.tensor2d(A, [2, 3]), b: tf.tensor2d(B, [3, 2]), bias: tf.tensor1d([1, 1]), activation: 'elu' }),
    want: [1, 9, -0.8647, 21],
  },
  {
    name: 'elu and broadcasted shape',
    run: () => tf.fused.matMul({ a: tf.tensor3d(A, [1, 2, 3]), b: tf.tensor2d(B, [3, 2]), bias: tf.tensor1d([1, 1]), activation: 'elu' }),
    want: [1, 9, -0.8647, 21],
  },
  {
    name: '2d bias only',
    run: () => tf.fused.matMul({ a: tf.tensor2d(A, [2, 3]), b: tf.tensor2d(B, [3, 2]), bias: tf.tensor2d([1, 1, 1, 1], [2, 2]) }),
    want: [1, 9, -2, 21],
  },
  {
    name: '2d bias and relu',
    run: () => tf.fused.matMul({ a: tf.tensor2d(A, [2, 3]), b: tf.tensor2d(B, [3, 2]), bias: tf.tensor2d([1, 1, 1, 1], [2, 2]), activation: 'relu' }),
    want: [1, 9, 0, 21],
  },
  {
    name: 'relu and broadcasted bias different rank',
    run: () =>
      tf.fused.matMul({
        a: tf.tensor3d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [2, 2, 3]),
        b: tf.tensor3d([0, 1, -3, 2, 2, 1, 0, 1, -3, 2, 2, 1], [2, 3, 2]),
        bias: tf.tensor2d([1, 2], [1, 2]),
        activation: 'relu',
      }),
    want: [2, 6, 0, 18, 0, 30, 0, 42],
  },
];

// tfjs's applyActivation as separate ops: the reference for the fused kernel, on the CPU backend.
function unfused(x: tf.Tensor, activation: string, alpha: tf.Tensor | undefined): tf.Tensor {
  if (activation === 'relu') return tf.relu(x);
  if (activation === 'elu') return tf.elu(x);
  if (activation === 'relu6') return tf.relu6(x);
  if (activation === 'prelu') return tf.prelu(x, alpha!);
  if (activation === 'leakyrelu') return tf.leakyRelu(x, 0.3);
  if (activation === 'sigmoid') return tf.sigmoid(x);
  return x;
}

describe.each(KERNEL_VARIANTS)('MatMul kernels on our wasm backend, %o', (variant) => {
  let ours = '';
  beforeAll(async () => {
    ours = (await openWasm(variant)).tfjsName;
  });

  test.each(MATMUL_CASES)('BatchMatMul in all four transpose combinations matches the CPU backend: $name', (c) => {
    for (const [ta, tb] of TRANSPOSES) {
      const { aShape, bShape } = shapes(c, ta, tb);
      const a = randomTensor(aShape, c.seed);
      const b = randomTensor(bShape, c.seed + 50);
      const run = () => tf.matMul(tf.tensor(a.data, aShape), tf.tensor(b.data, bShape), ta, tb);
      expectClose(runOpOn(ours, run), runOpOn('cpu', run), tolerance(c));
      tf.setBackend(ours);
      expect(tf.tidy(run).shape).toEqual([...tf.backend_util.assertAndGetBroadcastShape(c.aBatch, c.bBatch), c.m, c.n]);
    }
  });

  test.each(PER_DIMENSION_CASES)('BatchMatMul broadcasts batch dimensions one by one: $name', (c) => {
    const { aShape, bShape } = shapes(c, false, true);
    const a = randomTensor(aShape, c.seed);
    const b = randomTensor(bShape, c.seed + 50);
    const outer = tf.backend_util.assertAndGetBroadcastShape(c.aBatch, c.bBatch);
    const want = new Float32Array(outer.reduce((x, y) => x * y, 1) * c.m * c.n);
    // Each output batch's coordinates, each operand's dimensions of one repeated (operands right-aligned).
    const indexOf = (coords: number[], batch: number[]) => batch.reduce((at, d, i) => at * d + (d === 1 ? 0 : coords[coords.length - batch.length + i]!), 0);
    for (let i = 0; i < want.length / (c.m * c.n); i++) {
      const coords = outer.map((_, d) => Math.floor(i / outer.slice(d + 1).reduce((x, y) => x * y, 1)) % outer[d]!);
      const aAt = indexOf(coords, c.aBatch) * c.m * c.k;
      const bAt = indexOf(coords, c.bBatch) * c.k * c.n;
      want.set(matmulReference(a.data.subarray(aAt, aAt + c.m * c.k), b.data.subarray(bAt, bAt + c.k * c.n), c.m, c.k, c.n, false, true), i * c.m * c.n);
    }
    expectClose(
      runOpOn(ours, () => tf.matMul(tf.tensor(a.data, aShape), tf.tensor(b.data, bShape), false, true)),
      want,
      tolerance(c),
    );
  });

  test('BatchMatMul of int32 tensors matches the CPU backend (the stock kernel refuses them)', () => {
    const run = () => tf.matMul(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -12], [2, 2, 3], 'int32'), tf.tensor2d([3, -1, 4, 1, 5, 9], [3, 2], 'int32'));
    tf.setBackend(ours);
    expect(tf.tidy(run).dtype).toBe('int32');
    expectClose(runOpOn(ours, run), runOpOn('cpu', run), 0);
  });

  test.each(FUSED_SPECS)("_FusedMatMul gives tfjs-core's spec values: fused A x B with $name", ({ run, want }) => {
    expectClose(runOpOn(ours, run), want, 1e-3);
    expectClose(runOpOn(ours, run), runOpOn('cpu', run), 1e-6);
  });

  test('_FusedMatMul called without leakyreluAlpha takes 0.2, as the leakyRelu op does', () => {
    const run = () =>
      tf
        .engine()
        .runKernel(
          '_FusedMatMul',
          { a: tf.tensor2d(A, [2, 3]), b: tf.tensor2d(B, [3, 2]) },
          { transposeA: false, transposeB: false, activation: 'leakyrelu' },
        ) as tf.Tensor;
    expectClose(runOpOn(ours, run), [0, 8, -0.6, 20], 1e-6);
  });

  // Every activation with every bias shape, broadcast batches and transposes included, against the unfused ops.
  test.each(FUSED_ACTIVATIONS)('_FusedMatMul with activation %s matches matMul, add and the activation on the CPU backend', (activation) => {
    const cases = [...MATMUL_CASES.slice(0, 4), ...MATMUL_CASES.filter((c) => c.aBatch.length + c.bBatch.length > 0), MATMUL_CASES.at(-1)!];
    cases.forEach((c, i) => {
      const [ta, tb] = TRANSPOSES[i % 4]!;
      const { aShape, bShape } = shapes(c, ta, tb);
      const a = randomTensor(aShape, c.seed);
      const b = randomTensor(bShape, c.seed + 50);
      const alphaShape = [[c.n], [1, c.n], [c.m, 1]][i % 3]!;
      const alpha = randomTensor(alphaShape, c.seed + 60);
      for (const biasShape of biasShapes(c.m, c.n)) {
        const bias = biasShape === undefined ? undefined : randomTensor(biasShape, c.seed + 70);
        const made = () => ({
          a: tf.tensor(a.data, aShape),
          b: tf.tensor(b.data, bShape),
          bias: bias === undefined ? undefined : tf.tensor(bias.data, bias.shape),
          alpha: activation === 'prelu' ? tf.tensor(alpha.data, alpha.shape) : undefined,
        });
        const got = runOpOn(ours, () => {
          const t = made();
          return tf.fused.matMul({
            a: t.a,
            b: t.b,
            transposeA: ta,
            transposeB: tb,
            bias: t.bias,
            activation,
            preluActivationWeights: t.alpha,
            leakyreluAlpha: 0.3,
          });
        });
        const want = runOpOn('cpu', () => {
          const t = made();
          const product = tf.matMul(t.a, t.b, ta, tb);
          return unfused(t.bias === undefined ? product : tf.add(product, t.bias), activation, t.alpha);
        });
        expectClose(got, want, tolerance(c));
      }
    });
  });
});
