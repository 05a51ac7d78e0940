// How to split one GEMM between threads for f32_gemm__wasmsimd's [m0,m1) x [n0,n1) ranges.
// Each thread packs the columns of B it needs and reads the rows of A it needs, so a split along
// N makes each thread read all of A and 1/T of B, and a split along M all of B and 1/T of A.
// Splitting the dimension whose operand is larger (N when B = K x N outweighs A = M x K, i.e.
// N >= M) means no thread streams the big operand in full: the FC layers (M = batch 128, N = 700
// or 3136) split along N, the im2col GEMMs (M = 346112, N = 32) and dW (M = 3136) along M.

import { GEMM_TRANSPOSE_A, GEMM_TRANSPOSE_B } from './abi.js';

/** A block of C computed by one f32_gemm__wasmsimd call: rows [m0, m1) and columns [n0, n1). */
export interface GemmRange {
  /** First row. */
  m0: number;
  /** Row after the last. */
  m1: number;
  /** First column. */
  n0: number;
  /** Column after the last. */
  n1: number;
}

/** Which dimension f32_gemm_tiles__wasmsimd should split, and how many register tiles it has (the range to
 *  hand KernelPool.parallelFor). */
export interface GemmSplit {
  /** 1 to split columns (NR-wide tiles), 0 to split rows (MR-tall tiles). */
  alongN: 0 | 1;
  /** Tiles along the split dimension. */
  tiles: number;
}

/** Choose the split dimension for an m x n output: N when B outweighs A (n >= m), else M. */
export function planGemmSplit(m: number, n: number, mr: number, nr: number): GemmSplit {
  return n >= m ? { alongN: 1, tiles: Math.ceil(n / nr) } : { alongN: 0, tiles: Math.ceil(m / mr) };
}

/** Split an m x n output into at most `threads` disjoint ranges along tile boundaries. */
export function planGemmRanges(m: number, n: number, threads: number, mr: number, nr: number): GemmRange[] {
  const { alongN, tiles } = planGemmSplit(m, n, mr, nr);
  const extent = alongN ? n : m;
  const tile = alongN ? nr : mr;
  const parts = Math.max(1, Math.min(threads, tiles));
  const ranges: GemmRange[] = [];
  for (let t = 0; t < parts; t++) {
    const lo = Math.min(extent, Math.floor((t * tiles) / parts) * tile);
    const hi = Math.min(extent, Math.floor(((t + 1) * tiles) / parts) * tile);
    if (hi <= lo) continue;
    ranges.push(alongN ? { m0: 0, m1: m, n0: lo, n1: hi } : { m0: lo, m1: hi, n0: 0, n1: n });
  }
  return ranges;
}

/** Where one GEMM's operands are in kernel memory, and how to combine them. */
export interface GemmOperands {
  /** Rows of C. */
  m: number;
  /** Columns of C. */
  n: number;
  /** Shared dimension. */
  k: number;
  /** Byte address of A, stored [m][k] (or [k][m] when transposeA). */
  a: number;
  /** Byte address of B, stored [k][n] (or [n][k] when transposeB). */
  b: number;
  /** Byte address of C [m][n]. */
  c: number;
  /** Byte address of bias[n]; ignored unless GEMM_BIAS is in flags. */
  bias: number;
  /** GEMM_* flag bits. */
  flags: number;
}

/** Arguments and range for KernelPool.parallelFor('f32_gemm_tiles__wasmsimd', args, range) on dense
 *  row-major operands, with per-thread scratch at scratch + thread * scratchStride. */
export function gemmTilesCall(g: GemmOperands, mr: number, nr: number, scratch: number, scratchStride: number): { args: number[]; range: number } {
  const { alongN, tiles } = planGemmSplit(g.m, g.n, mr, nr);
  const lda = g.flags & GEMM_TRANSPOSE_A ? g.m : g.k;
  const ldb = g.flags & GEMM_TRANSPOSE_B ? g.k : g.n;
  const args = [
    g.m, // m
    g.n, // n
    g.k, // k
    g.a, // a
    lda, // lda
    g.b, // b
    ldb, // ldb
    g.c, // c
    g.n, // ldc
    g.bias, // bias
    g.flags, // flags
    alongN, // alongN
    scratch, // scratch
    scratchStride, // scratchStride
  ];
  return { args, range: tiles };
}
