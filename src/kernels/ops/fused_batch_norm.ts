import type { FusedBatchNormAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { PARALLEL_MIN_ELEMENTS, sizeOf } from '../call/elementwise.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { heapF32, tensorOffset } from '../call/wasm_heap.js';

/** Tasks per thread of a large call, as the elementwise kernels split theirs. */
const TASKS_PER_THREAD = 4;

/**
 * Batch normalization's forward pass on float32 NHWC tensors, across threads, equal bit for bit to tfjs's CPU
 * backend: per element offset + ((x - mean) * scale) / sqrt(variance + epsilon) in float64, rounded once. The
 * CPU cycles each of mean, variance, offset and scale by its own length along the flat data, so this takes
 * them when each has one element or one per channel (the last axis); other lengths and dtypes run the stock
 * kernel.
 */
export function fusedBatchNormConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'FusedBatchNorm',
    backendName,
    kernelFunc: (args) => {
      const { x, mean, variance, offset, scale } = args.inputs as Record<'x' | 'mean' | 'variance', TensorInfo> &
        Partial<Record<'offset' | 'scale', TensorInfo>>;
      const c = x.shape[3];
      const params = [mean, variance, offset, scale];
      const covered = (t: TensorInfo | undefined): boolean => t == null || (t.dtype === 'float32' && (sizeOf(t) === 1 || sizeOf(t) === c));
      if (x.dtype !== 'float32' || x.shape.length !== 4 || c === undefined || !params.every(covered)) {
        return runStockKernel('FusedBatchNorm', args);
      }
      const ctx = kernelContext(args.backend);
      const out = ctx.backend.makeOutput(x.shape, 'float32');
      const n = sizeOf(x);
      if (n === 0) return out;
      // Four float64 arrays of c (mean, scale, divisor, offset), 8-byte aligned; the scratch may grow the heap,
      // so it comes before any view of it.
      const at = (ctx.scratch(32 * c + 8) + 7) & ~7;
      const heap = heapF32(ctx.backend);
      const channel = (t: TensorInfo | undefined, fallback: number): ((ch: number) => number) => {
        if (t == null) return () => fallback;
        const base = tensorOffset(ctx.backend, t) / 4;
        const step = sizeOf(t) === 1 ? 0 : 1;
        return (ch) => heap[base + ch * step]!;
      };
      const [m, v, o, s] = [channel(mean, 0), channel(variance, 0), channel(offset, 0), channel(scale, 1)];
      const epsilon = (args.attrs as unknown as FusedBatchNormAttrs).varianceEpsilon ?? 0.001;
      const table = new Float64Array(heap.buffer, at, 4 * c);
      for (let ch = 0; ch < c; ch++) {
        table[ch] = m(ch);
        table[c + ch] = s(ch);
        // The CPU's divisor: the JS sum and square root, exactly.
        table[2 * c + ch] = Math.sqrt(v(ch) + epsilon);
        table[3 * c + ch] = o(ch);
      }
      const kernelArgs = [
        tensorOffset(ctx.backend, x), // x
        at, // params
        c, // c
        tensorOffset(ctx.backend, out), // out
      ];
      const pixels = n / c;
      if (n < PARALLEL_MIN_ELEMENTS) {
        (ctx.exports.f32_batchnorm_nhwc__wasmsimd as (...a: number[]) => void)(...kernelArgs, 0, pixels, 0);
      } else {
        ctx.pool.parallelFor('f32_batchnorm_nhwc__wasmsimd', kernelArgs, pixels, ctx.threads * TASKS_PER_THREAD);
      }
      return out;
    },
  };
}
