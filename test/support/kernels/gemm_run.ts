// Single-threaded convenience around f32_gemm__wasmsimd for tests and benchmarks: copy JS arrays into a
// kernels memory, run one or more ranges, copy C back.
import { GEMM_ACCUMULATE, GEMM_BIAS, GEMM_RELU, GEMM_TRANSPOSE_A, GEMM_TRANSPOSE_B, type GemmExports } from '../../../src/kernels/gemm/abi.js';
import type { GemmRange } from '../../../src/kernels/gemm/plan.js';
import type { KernelArena } from './arena.js';

/** One GEMM in JS arrays, laid out as matmulReference expects. */
export interface GemmProblem {
  /** op(A) rows. */
  m: number;
  /** Shared dimension. */
  k: number;
  /** op(B) columns. */
  n: number;
  /** A, stored [m][k], or [k][m] when transposeA. */
  a: Float32Array;
  /** B, stored [k][n], or [n][k] when transposeB. */
  b: Float32Array;
  /** Use A transposed. */
  transposeA?: boolean;
  /** Use B transposed. */
  transposeB?: boolean;
  /** Optional bias[n] added to every row. */
  bias?: Float32Array;
  /** Apply ReLU at the end. */
  relu?: boolean;
  /** Initial C[m][n] to accumulate into (beta = 1); omitted means overwrite. */
  c?: Float32Array;
}

/** The GEMM_* flag bits for a problem. */
export function gemmFlags(p: GemmProblem): number {
  return (
    (p.transposeA ? GEMM_TRANSPOSE_A : 0) |
    (p.transposeB ? GEMM_TRANSPOSE_B : 0) |
    (p.c !== undefined ? GEMM_ACCUMULATE : 0) |
    (p.relu ? GEMM_RELU : 0) |
    (p.bias !== undefined ? GEMM_BIAS : 0)
  );
}

/** Addresses of a problem's operands once placed in kernel memory. */
export interface PlacedGemm {
  /** Address of A. */
  a: number;
  /** Address of B. */
  b: number;
  /** Address of C. */
  c: number;
  /** Address of bias, or 0 when there is none. */
  bias: number;
  /** Address of one thread's scratch. */
  scratch: number;
}

/** Copy a problem's operands into `arena` (C zero-filled unless p.c is given). */
export function placeGemm(kernels: GemmExports, arena: KernelArena, p: GemmProblem): PlacedGemm {
  const a = arena.putF32(p.a);
  const b = arena.putF32(p.b);
  const c = arena.putF32(p.c ?? new Float32Array(p.m * p.n));
  const bias = p.bias !== undefined ? arena.putF32(p.bias) : 0;
  const scratch = arena.alloc(kernels.f32_gemm_scratch_size(p.m, p.n, p.k));
  return { a, b, c, bias, scratch };
}

/** Run f32_gemm__wasmsimd over `ranges` (default: all of C) one after another on placed operands. */
export function callGemm(kernels: GemmExports, p: GemmProblem, at: PlacedGemm, ranges?: readonly GemmRange[]): void {
  const lda = p.transposeA ? p.m : p.k;
  const ldb = p.transposeB ? p.k : p.n;
  const flags = gemmFlags(p);
  for (const r of ranges ?? [{ m0: 0, m1: p.m, n0: 0, n1: p.n }]) {
    kernels.f32_gemm__wasmsimd(p.m, p.n, p.k, at.a, lda, at.b, ldb, at.c, p.n, at.bias, flags, r.m0, r.m1, r.n0, r.n1, at.scratch);
  }
}

/** Compute a problem with the kernels and return a copy of C. */
export function runGemm(kernels: GemmExports, arena: KernelArena, p: GemmProblem, ranges?: readonly GemmRange[]): Float32Array {
  const at = placeGemm(kernels, arena, p);
  callGemm(kernels, p, at, ranges);
  return arena.f32(at.c, p.m * p.n).slice();
}
