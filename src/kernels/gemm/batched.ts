import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelContext } from '../call/context.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { GEMM_BIAS, GEMM_RELU, GEMM_TRANSPOSE_A, GEMM_TRANSPOSE_B } from './abi.js';
import { gemmOnThreads } from './gemm_call.js';

/** A batched matmul as tfjs's BatchMatMul and _FusedMatMul kernels describe it. */
export interface BatchedMatMul {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  /** Added to every output row; must hold exactly N values. */
  bias?: TensorInfo | undefined;
  relu?: boolean;
}

/**
 * Computes op(a)·op(b) for every batch index (broadcasting a batch of one), each a multi-threaded GEMM
 * reading the tensors where they lie in the heap and writing the output tensor in place.
 */
export function batchedMatMul(ctx: KernelContext, p: BatchedMatMul): TensorInfo {
  for (const t of [p.a, p.b, p.bias]) {
    if (t !== undefined && t.dtype !== 'float32') throw new Error(`MatMul on the wasm backend takes float32, not ${t.dtype}`);
  }
  const aRank = p.a.shape.length;
  const bRank = p.b.shape.length;
  const [aRows, aCols] = [p.a.shape[aRank - 2]!, p.a.shape[aRank - 1]!];
  const [bRows, bCols] = [p.b.shape[bRank - 2]!, p.b.shape[bRank - 1]!];
  const m = p.transposeA ? aCols : aRows;
  const k = p.transposeA ? aRows : aCols;
  const n = p.transposeB ? bRows : bCols;
  const kB = p.transposeB ? bCols : bRows;
  if (k !== kB) throw new Error(`MatMul inner dimensions differ: ${p.a.shape} and ${p.b.shape}`);
  const aBatch = size(p.a.shape.slice(0, -2));
  const bBatch = size(p.b.shape.slice(0, -2));
  if (aBatch !== bBatch && aBatch !== 1 && bBatch !== 1) throw new Error(`MatMul batches ${aBatch} and ${bBatch} do not broadcast`);
  const batch = Math.max(aBatch, bBatch);
  const outer = (aBatch >= bBatch ? p.a.shape : p.b.shape).slice(0, -2);
  if (p.bias !== undefined && size(p.bias.shape) !== n) {
    throw new Error(`MatMul bias must hold ${n} values (one per output column), not shape ${p.bias.shape}`);
  }

  const out = ctx.backend.makeOutput([...outer, m, n], 'float32');
  if (m === 0 || n === 0) return out;
  const flags =
    (p.transposeA ? GEMM_TRANSPOSE_A : 0) | (p.transposeB ? GEMM_TRANSPOSE_B : 0) | (p.bias !== undefined ? GEMM_BIAS : 0) | (p.relu === true ? GEMM_RELU : 0);
  const a = tensorOffset(ctx.backend, p.a);
  const b = tensorOffset(ctx.backend, p.b);
  const c = tensorOffset(ctx.backend, out);
  const bias = p.bias !== undefined ? tensorOffset(ctx.backend, p.bias) : 0;
  for (let i = 0; i < batch; i++) {
    gemmOnThreads(ctx, {
      m,
      n,
      k,
      a: a + (aBatch === 1 ? 0 : i * m * k * 4),
      lda: aCols,
      b: b + (bBatch === 1 ? 0 : i * k * n * 4),
      ldb: bCols,
      c: c + i * m * n * 4,
      ldc: n,
      bias,
      flags,
    });
  }
  return out;
}

function size(shape: readonly number[]): number {
  return shape.reduce((x, y) => x * y, 1);
}
