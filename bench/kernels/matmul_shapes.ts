// The GEMMs of one training step with batch 128, shared by the single- and multi-thread benchmarks:
// the FC net's forward, dW = xᵀ·dy and dx = dy·Wᵀ per layer, and the CNN's im2col GEMMs.
import type { GemmProblem } from '../../test/support/kernels/gemm_run.js';
import { BATCH, CNN_CONV_LAYERS, FC_LAYERS } from '../../test/support/kernels/network_shapes.js';

/** One benchmarked GEMM: op(A)[m,k]·op(B)[k,n], with its layout flags. */
export interface MatmulShape {
  /** Row label in the printed table. */
  name: string;
  /** Rows of C. */
  m: number;
  /** Shared dimension. */
  k: number;
  /** Columns of C. */
  n: number;
  /** A stored [k][m]. */
  transposeA?: boolean;
  /** B stored [n][k]. */
  transposeB?: boolean;
  /** Fused bias + ReLU, as in a forward layer. */
  biasRelu?: boolean;
}

/** The FC layers' three GEMMs each, then the CNN's im2col GEMMs, forward and backward, on an
 *  8-image slice. */
export const matmulShapes: readonly MatmulShape[] = [
  ...FC_LAYERS.flatMap(([fanIn, fanOut], i): MatmulShape[] => {
    const layer = `fc${i + 1} ${fanIn}x${fanOut}`;
    return [
      { name: `${layer} fwd x·W+b relu`, m: BATCH, k: fanIn, n: fanOut, biasRelu: true },
      { name: `${layer} dW = xᵀ·dy`, m: fanIn, k: BATCH, n: fanOut, transposeA: true },
      { name: `${layer} dx = dy·Wᵀ`, m: BATCH, k: fanOut, n: fanIn, transposeB: true },
    ];
  }),
  // Rows are output pixels; 8 of the 128 images keep the run short. Backward: dW = colsᵀ·dy
  // (K = pixels) and dcols = dy·Wᵀ, which col2im then scatters back to the input gradient.
  // conv1 (one input channel) has a direct kernel, not a GEMM; the others' im2col GEMMs have K = 3*3*cin.
  ...CNN_CONV_LAYERS.slice(1).flatMap(([inSide, cin, filters], i): MatmulShape[] => {
    const layer = i + 2;
    const side = inSide - 2;
    const patch = 9 * cin;
    const pixels = 8 * side * side;
    return [
      { name: `conv${layer} im2col (8 img)`, m: pixels, k: patch, n: filters, biasRelu: true },
      { name: `conv${layer} dW = colsᵀ·dy`, m: patch, k: pixels, n: filters, transposeA: true },
      { name: `conv${layer} dcols = dy·Wᵀ`, m: pixels, k: filters, n: patch, transposeB: true },
    ];
  }),
];

/** Deterministic non-trivial values (speed does not depend on them, but zeros could). */
export function benchValues(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.sin(i * 12.9898 + seed) * 0.5;
  return out;
}

/** A shape as a GemmProblem with deterministic operands. */
export function shapeProblem(s: MatmulShape): GemmProblem {
  return {
    m: s.m,
    k: s.k,
    n: s.n,
    a: benchValues(s.m * s.k, 1),
    b: benchValues(s.k * s.n, 2),
    transposeA: s.transposeA ?? false,
    transposeB: s.transposeB ?? false,
    ...(s.biasRelu ? { bias: benchValues(s.n, 3), relu: true } : {}),
  };
}

/** GFLOP/s of an m x k x n GEMM that took `ms` milliseconds. */
export function gflops(s: MatmulShape, ms: number): number {
  return (2 * s.m * s.n * s.k) / (ms * 1e6);
}
