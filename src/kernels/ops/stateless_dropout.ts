import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { MATH_PARALLEL_MIN_ELEMENTS, runElementwise, sizeOf } from '../call/elementwise.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { dropoutKeys, keepScale, keepThreshold } from './dropout_mask.js';

/** The seeded dropout's kernel name; no tfjs op has it, only this project's backend registers it. */
export const STATELESS_DROPOUT = 'StatelessDropout';

/** Which elements one call drops: a rate in (0, 1), the layer's seed, and the call's counter. */
export type StatelessDropoutAttrs = { rate: number; seed: number; counter: number } & NamedAttrMap;

/**
 * Inverted dropout with a counter-based mask (dropout_mask.ts): y = x * scale where kept,
 * x * 0 where dropped. Its gradient is the same call on dy, so no mask is ever stored.
 */
export function statelessDropoutConfig(backendName: string): KernelConfig {
  return {
    kernelName: STATELESS_DROPOUT,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x } = inputs as { x: TensorInfo };
      const { rate, seed, counter } = attrs as StatelessDropoutAttrs;
      // Internal invariants, not cases to fall back on: no tfjs op has this kernel, and its one caller
      // (src/models/stateless_dropout.ts) checks both before it runs it, taking another path otherwise.
      if (x.dtype !== 'float32') throw new Error(`${STATELESS_DROPOUT} needs a float32 tensor, got ${x.dtype}`);
      if (!(rate > 0 && rate < 1)) throw new Error(`${STATELESS_DROPOUT} needs a rate in (0, 1), got ${rate}`);
      const ctx = kernelContext(backend);
      const out = ctx.backend.makeOutput(x.shape, 'float32');
      const n = sizeOf(x);
      const { k0, k1 } = dropoutKeys(seed, counter);
      runElementwise(
        ctx,
        'f32_dropout_hash__wasmsimd',
        [
          tensorOffset(ctx.backend, x), // x_offset
          tensorOffset(ctx.backend, out), // y_offset
          n, // n
          k0, // k0
          k1, // k1
          keepThreshold(rate), // threshold
          keepScale(rate), // scale
        ],
        n,
        // The hash costs about 1 ns an element on one thread, far more than the memory it moves, so it
        // pays to split at the threshold of the other compute-bound kernels: the FC net's [128, 700] calls
        // went from one thread to two.
        MATH_PARALLEL_MIN_ELEMENTS,
      );
      return out;
    },
  };
}
