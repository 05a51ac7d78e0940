// The matrix products BatchMatMul and _FusedMatMul are tested on: random sizes (vectors, odd sizes off
// the register tile, batch 1 of the FC net), every transpose combination, batch dimensions that
// broadcast, and every activation tfjs fuses with every bias shape it allows.
import { seededRandom } from '../../../src/util/random.js';

/** One product: sizes, and the batch dimensions of a and b (empty for a plain matrix). */
export interface MatMulCase {
  name: string;
  m: number;
  k: number;
  n: number;
  aBatch: number[];
  bBatch: number[];
  seed: number;
}

const random = Array.from({ length: 10 }, (_, i): MatMulCase => {
  const r = seededRandom(200 + i);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  return named({ m: i === 0 ? 1 : int(1, 70), k: i === 1 ? 1 : int(1, 90), n: int(1, 45), aBatch: i === 2 ? [3] : [], bBatch: [], seed: i });
});

/**
 * Batch dimensions that broadcast. In all of these the CPU backend's pairing (output batch i reads a's
 * batch i mod its count, and b's likewise) is the per-dimension broadcast, so it is the reference.
 */
const broadcast: MatMulCase[] = [
  // tfjs's spec `matmulBatch A has more batch dimensions than B`: a=[2,2,2,2], b=[2,2,1].
  named({ m: 2, k: 2, n: 1, aBatch: [2, 2], bBatch: [2], seed: 30 }),
  named({ m: 5, k: 7, n: 9, aBatch: [3, 2], bBatch: [2], seed: 31 }),
  named({ m: 6, k: 3, n: 13, aBatch: [], bBatch: [4], seed: 32 }),
  named({ m: 17, k: 9, n: 5, aBatch: [1, 3], bBatch: [2, 3], seed: 33 }),
  named({ m: 3, k: 11, n: 8, aBatch: [1], bBatch: [2, 1, 2], seed: 34 }),
  named({ m: 9, k: 16, n: 12, aBatch: [2, 3], bBatch: [2, 3], seed: 35 }),
];

/** The FC net's last layer at the notebook's batch. */
const fc = named({ m: 128, k: 500, n: 36, aBatch: [], bBatch: [], seed: 99 });

/** Random sizes, broadcast batches, then the FC net's output layer. */
export const MATMUL_CASES: readonly MatMulCase[] = [...random, ...broadcast, fc];

/**
 * Batch dimensions whose per-dimension broadcast is not the CPU backend's modulo pairing (it pairs
 * them wrongly), checked against a plain per-batch reference instead.
 */
export const PER_DIMENSION_CASES: readonly MatMulCase[] = [
  named({ m: 4, k: 5, n: 3, aBatch: [2, 1], bBatch: [1, 3], seed: 40 }),
  named({ m: 7, k: 6, n: 10, aBatch: [3, 1, 2], bBatch: [2, 1], seed: 41 }),
];

/** Every activation tfjs's fused ops take. */
export const FUSED_ACTIVATIONS = ['linear', 'relu', 'elu', 'relu6', 'prelu', 'leakyrelu', 'sigmoid'] as const;

/** Bias shapes tfjs's fused matMul allows for an [..., m, n] product: per column, per element, broadcast ones, or none. */
export function biasShapes(m: number, n: number): Array<number[] | undefined> {
  return [[n], [1, n], [m, n], [m, 1], [1], undefined];
}

function named(c: Omit<MatMulCase, 'name'>): MatMulCase {
  return { ...c, name: `[${c.aBatch}] x [${c.bBatch}] m${c.m} k${c.k} n${c.n}` };
}
