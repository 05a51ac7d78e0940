import type { KernelConfig, NamedAttrMap } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runElementwise } from '../call/elementwise.js';
import { tensorOffset } from '../call/wasm_heap.js';

/** The kernel that turns a batch's image bytes into float32 in [0, 1]; no tfjs op has it, only this project's backend. */
export const UNIT_SCALE_BYTES = 'AlnumUnitScaleBytes';

/** Its attributes: the bytes (any length) and the shape of the float32 tensor made from them. */
export type UnitScaleBytesAttrs = { bytes: Uint8Array; shape: number[] } & NamedAttrMap;

/**
 * A float32 tensor of `shape` holding `bytes[i] / 255`, bit for bit the values `normalizeImage` writes
 * (src/data/normalize.ts), converted across the threads straight into the tensor's heap memory. A batch
 * of 128 images is 401 KB of bytes to copy instead of a 1.6 MB float buffer filled by a JavaScript loop
 * (about 2 ms a batch of the FC net's training loop) and then copied.
 */
export function unitScaleBytesConfig(backendName: string): KernelConfig {
  return {
    kernelName: UNIT_SCALE_BYTES,
    backendName,
    kernelFunc: ({ attrs, backend }) => {
      const { bytes, shape } = attrs as UnitScaleBytesAttrs;
      const n = shape.reduce((a, b) => a * b, 1);
      // An internal invariant: the one caller (src/train/batch.ts) passes a batch's bytes and its shape.
      if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
        throw new Error(`${UNIT_SCALE_BYTES} needs ${n} bytes for shape [${shape}], got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`);
      }
      const ctx = kernelContext(backend);
      // Scratch first: it may grow the heap, which detaches any view taken before.
      const source = ctx.scratch(n);
      const out = ctx.backend.makeOutput(shape, 'float32');
      ctx.backend.wasm.HEAPU8.set(bytes, source);
      runElementwise(
        ctx,
        'f32_unit_scale_u8__wasmsimd',
        [
          source, // bytes_offset
          tensorOffset(ctx.backend, out), // out_offset
          n, // n
        ],
        n,
      );
      return out;
    },
  };
}
