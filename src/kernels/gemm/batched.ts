import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelContext } from '../call/context.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { GEMM_BIAS, GEMM_RELU, GEMM_TRANSPOSE_A, GEMM_TRANSPOSE_B } from './abi.js';
import { gemmOnThreads } from './gemm_call.js';

/** A batched matmul as tfjs's BatchMatMul and _FusedMatMul kernels describe it, on float32 tensors. */
export interface BatchedMatMul {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  /** Added to every output row; must hold exactly N values. */
  bias?: TensorInfo | undefined;
  relu?: boolean;
}

/** Which batch of a and of b each output batch reads, and the output's batch dimensions. */
export interface BatchPlan {
  outer: number[];
  aIndex: Int32Array;
  bIndex: Int32Array;
}

/**
 * Broadcasts the batch dimensions of a and b per dimension, as tfjs's matMul op does
 * (`assertAndGetBroadcastShape`). Shapes that do not broadcast so but whose batch counts divide each
 * other pair batches by index modulo the smaller count, as the stock and CPU kernels do with the 3-D
 * operands tfjs's fused matMul reshapes to.
 */
export function planBatches(aOuter: readonly number[], bOuter: readonly number[]): BatchPlan {
  if (broadcasts(aOuter, bOuter)) {
    const outer = backend_util.assertAndGetBroadcastShape([...aOuter], [...bOuter]);
    const batch = size(outer);
    return { outer, aIndex: broadcastIndex(aOuter, outer, batch), bIndex: broadcastIndex(bOuter, outer, batch) };
  }
  const aBatch = size(aOuter);
  const bBatch = size(bOuter);
  const batch = Math.max(aBatch, bBatch);
  if (batch % aBatch !== 0 || batch % bBatch !== 0) throw new Error(`MatMul batch dimensions [${aOuter}] and [${bOuter}] do not broadcast`);
  const modulo = (count: number) => Int32Array.from({ length: batch }, (_, i) => i % count);
  return { outer: [...(aBatch >= bBatch ? aOuter : bOuter)], aIndex: modulo(aBatch), bIndex: modulo(bBatch) };
}

/** The sizes m, n and k of op(a)·op(b), or an error naming the shapes. */
export function matMulSizes(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): { m: number; n: number; k: number } {
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const [aRows, aCols] = [a.shape[aRank - 2]!, a.shape[aRank - 1]!];
  const [bRows, bCols] = [b.shape[bRank - 2]!, b.shape[bRank - 1]!];
  const k = transposeA ? aRows : aCols;
  if (k !== (transposeB ? bCols : bRows)) throw new Error(`MatMul inner dimensions differ: ${a.shape} and ${b.shape}`);
  return { m: transposeA ? aCols : aRows, n: transposeB ? bRows : bCols, k };
}

/**
 * Computes op(a)·op(b) for every output batch (batch dimensions broadcast as `planBatches` says), each a
 * multi-threaded GEMM reading the tensors where they lie in the heap and writing the output tensor in place.
 */
export function batchedMatMul(ctx: KernelContext, p: BatchedMatMul): TensorInfo {
  for (const t of [p.a, p.b, p.bias]) {
    if (t !== undefined && t.dtype !== 'float32') throw new Error(`batchedMatMul takes float32, not ${t.dtype}: the kernels cast first`);
  }
  const aCols = p.a.shape[p.a.shape.length - 1]!;
  const bCols = p.b.shape[p.b.shape.length - 1]!;
  const { m, n, k } = matMulSizes(p.a, p.b, p.transposeA, p.transposeB);
  const plan = planBatches(p.a.shape.slice(0, -2), p.b.shape.slice(0, -2));
  if (p.bias !== undefined && size(p.bias.shape) !== n) {
    throw new Error(`batchedMatMul's bias must hold ${n} values (one per output column), not shape ${p.bias.shape}`);
  }

  const out = ctx.backend.makeOutput([...plan.outer, m, n], 'float32');
  if (m === 0 || n === 0) return out;
  const flags =
    (p.transposeA ? GEMM_TRANSPOSE_A : 0) | (p.transposeB ? GEMM_TRANSPOSE_B : 0) | (p.bias !== undefined ? GEMM_BIAS : 0) | (p.relu === true ? GEMM_RELU : 0);
  const a = tensorOffset(ctx.backend, p.a);
  const b = tensorOffset(ctx.backend, p.b);
  const c = tensorOffset(ctx.backend, out);
  const bias = p.bias !== undefined ? tensorOffset(ctx.backend, p.bias) : 0;
  for (let i = 0; i < plan.aIndex.length; i++) {
    gemmOnThreads(ctx, {
      m,
      n,
      k,
      a: a + plan.aIndex[i]! * m * k * 4,
      lda: aCols,
      b: b + plan.bIndex[i]! * k * n * 4,
      ldb: bCols,
      c: c + i * m * n * 4,
      ldc: n,
      bias,
      flags,
    });
  }
  return out;
}

// Whether assertAndGetBroadcastShape accepts the two shapes: right-aligned dimensions equal or one of them 1.
function broadcasts(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const x = a[a.length - i]!;
    const y = b[b.length - i]!;
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}

// For each batch of `outer` (row-major), the index of the batch of `shape` it reads: dimensions of one
// repeat, and `shape` is aligned to the right of `outer`.
function broadcastIndex(shape: readonly number[], outer: readonly number[], batch: number): Int32Array {
  const index = new Int32Array(batch);
  const offset = outer.length - shape.length;
  for (let i = 0; i < batch; i++) {
    let rest = i;
    let at = 0;
    let stride = 1;
    for (let d = outer.length - 1; d >= 0; d--) {
      const coord = rest % outer[d]!;
      rest = Math.floor(rest / outer[d]!);
      if (d >= offset) {
        const dim = shape[d - offset]!;
        if (dim !== 1) at += coord * stride;
        stride *= dim;
      }
    }
    index[i] = at;
  }
  return index;
}

function size(shape: readonly number[]): number {
  return shape.reduce((x, y) => x * y, 1);
}
