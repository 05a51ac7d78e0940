// Relaxed SIMD (f32x4.relaxed_madd, a fused multiply-add on x64) is behind a V8 flag in Node 20, which
// the platform seam sets at run time (src/platform/node.ts); browsers have it on or off for good.
import { platform } from '../../platform/index.js';

// (module (func (result v128) v128.const 0 v128.const 0 v128.const 0 f32x4.relaxed_madd))
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
// biome-ignore format: one line per section of the module, as the comments label them
const RELAXED_MADD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x3d, 0x01, 0x3b, 0x00, // code section: one body of 59 bytes, no locals
  ...V128_ZERO, ...V128_ZERO, ...V128_ZERO,
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 0x105)
  0x0b, // end
]);

/** Whether this process can compile modules that use relaxed SIMD (f32x4.relaxed_madd). */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(RELAXED_MADD_PROBE);
}

/**
 * Turns relaxed SIMD on for modules compiled from now on, in this thread and workers started later,
 * and reports whether it is available. Call it before compiling the FMA build of the kernels.
 */
export function enableRelaxedSimd(): boolean {
  if (!relaxedSimdSupported()) platform.allowRelaxedSimd();
  return relaxedSimdSupported();
}
