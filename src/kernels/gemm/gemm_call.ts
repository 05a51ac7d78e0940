import type { KernelContext } from '../call/context.js';
import { asGemmExports } from './abi.js';
import { planGemmSplit } from './plan.js';

/** One f32 GEMM on tensors already in the heap: C = op(A)·op(B) (+bias)(ReLU), addresses in bytes. */
export interface HeapGemm {
  m: number;
  n: number;
  k: number;
  a: number;
  lda: number;
  b: number;
  ldb: number;
  c: number;
  ldc: number;
  /** Address of bias[n], or 0. */
  bias: number;
  /** GEMM_* flag bits from gemm/abi.ts. */
  flags: number;
}

/**
 * Runs one GEMM across the context's threads: the output is cut into register-tile strips along the
 * dimension whose operand is larger (gemm/plan.ts), each thread packing what it reads into its own scratch.
 */
export function gemmOnThreads(ctx: KernelContext, g: HeapGemm): void {
  const gemm = asGemmExports(ctx.exports);
  const stride = align(gemm.f32_gemm_scratch_size(g.m, g.n, g.k), 64);
  const scratch = ctx.scratch(stride * ctx.threads);
  const { alongN, tiles } = planGemmSplit(g.m, g.n, gemm.f32_gemm_mr(), gemm.f32_gemm_nr());
  ctx.pool.parallelFor(
    'f32_gemm_tiles__wasmsimd',
    [
      g.m, // m
      g.n, // n
      g.k, // k
      g.a, // a_offset
      g.lda, // lda
      g.b, // b_offset
      g.ldb, // ldb
      g.c, // c_offset
      g.ldc, // ldc
      g.bias, // bias_offset
      g.flags, // flags
      alongN, // along_n
      scratch, // scratch_offset
      stride, // scratch_stride
    ],
    tiles,
    Math.min(ctx.threads, tiles),
  );
}

function align(bytes: number, to: number): number {
  return Math.ceil(bytes / to) * to;
}
