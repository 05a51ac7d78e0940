import { PIXELS } from './dataset.js';

/**
 * What each uint8 value becomes in [0, 1]: the value times the double 1/255, rounded to float32. This is
 * the formula the whole-set normalisation used (a uint8 times `1 / 255`, stored in a Float32Array), so
 * normalising a batch at a time gives the same bits, and the same seeded metrics, as normalising the set.
 */
export const UNIT_SCALE: Float32Array = Float32Array.from({ length: 256 }, (_, value) => value * (1 / 255));

/**
 * Writes one image of `pixels` into `out` at `offset` as float32 in [0, 1]: uint8 pixels through
 * `UNIT_SCALE`, float pixels (already in [0, 1]) as they are.
 */
export function normalizeImage(pixels: Uint8Array | Float32Array, image: number, out: Float32Array, offset: number): void {
  const from = image * PIXELS;
  if (pixels instanceof Float32Array) {
    out.set(pixels.subarray(from, from + PIXELS), offset);
    return;
  }
  for (let p = 0; p < PIXELS; p++) out[offset + p] = UNIT_SCALE[pixels[from + p]!]!;
}
