import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runElementwise, sizeOf } from '../call/elementwise.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { heapF32, tensorOffset } from '../call/wasm_heap.js';

/**
 * Float32 products of two same-shape tensors (ReLU's gradient: dy * step(x)), of a tensor and a scalar, or of a
 * tensor and a vector along its last axis (batch norm's per-channel scales), across threads; other broadcasts
 * and integer products run tfjs's own kernel.
 */
export function multiplyConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Multiply',
    backendName,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      if (a.dtype !== 'float32' || b.dtype !== 'float32') return runStockKernel('Multiply', args);
      const na = sizeOf(a);
      const nb = sizeOf(b);
      const same = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
      // A scalar side may be [] or [1, ..., 1]; the output takes the larger rank, as broadcasting would.
      const scalar = !same && (na === 1 || nb === 1) && (na === 1 ? a : b).shape.length <= (na === 1 ? b : a).shape.length;
      const channels = !same && !scalar && (isChannelVector(b, a) || isChannelVector(a, b));
      if (!same && !scalar && !channels) return runStockKernel('Multiply', args);
      const ctx = kernelContext(args.backend);
      if (channels) {
        const [big, vector] = isChannelVector(b, a) ? [a, b] : [b, a];
        const n = sizeOf(big);
        const out = ctx.backend.makeOutput(big.shape, 'float32');
        runElementwise(
          ctx,
          'f32_mul_channels__wasmsimd',
          [
            tensorOffset(ctx.backend, big), // a_offset
            tensorOffset(ctx.backend, vector), // b_offset
            tensorOffset(ctx.backend, out), // out_offset
            n, // n
            big.shape[big.shape.length - 1]!, // c
          ],
          n,
        );
        return out;
      }
      const big = na === 1 && !same ? b : a;
      const n = sizeOf(big);
      const out = ctx.backend.makeOutput(big.shape, 'float32');
      const heap = ctx.backend;
      if (same) {
        runElementwise(
          ctx,
          'f32_mul__wasmsimd',
          [
            tensorOffset(heap, a), // a_offset
            tensorOffset(heap, b), // b_offset
            tensorOffset(heap, out), // out_offset
            n, // n
          ],
          n,
        );
      } else {
        const s = heapF32(heap)[tensorOffset(heap, big === a ? b : a) / 4]!;
        runElementwise(
          ctx,
          'f32_mul_scalar__wasmsimd',
          [
            tensorOffset(heap, big), // a_offset
            s, // s
            tensorOffset(heap, out), // out_offset
            n, // n
          ],
          n,
        );
      }
      return out;
    },
  };
}

/** Whether `vector` broadcasts along `big`'s last axis only: [.., 1, C] against [.., C], of no higher rank. */
function isChannelVector(vector: TensorInfo, big: TensorInfo): boolean {
  const rank = vector.shape.length;
  if (rank === 0 || rank > big.shape.length) return false;
  const c = big.shape[big.shape.length - 1]!;
  return vector.shape[rank - 1] === c && vector.shape.every((d, i) => i === rank - 1 || d === 1);
}
