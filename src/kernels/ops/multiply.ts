import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runElementwise, sizeOf } from '../call/elementwise.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { heapF32, tensorOffset } from '../call/wasm_heap.js';

/**
 * Float32 products of two same-shape tensors (ReLU's gradient: dy * step(x)) or of a tensor and a scalar,
 * across threads; broadcasting and integer products run tfjs's own kernel.
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
      if (!same && !scalar) return runStockKernel('Multiply', args);
      const ctx = kernelContext(args.backend);
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
