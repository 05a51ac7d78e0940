import { PIXELS } from './dataset.js';

/** One shard of preprocessing: gather some images by index and scale their pixels to [0, 1]. */
export interface NormalizeTask {
  /** All source pixels, in shared memory (read only). */
  pixels: Uint8Array | Float32Array;
  /** Which images this shard gathers, in output order. */
  indices: Uint32Array;
  /** The whole output, in shared memory; this shard writes only its own rows. */
  out: Float32Array;
  /** The output row this shard's first image goes to. */
  firstRow: number;
}

/**
 * Writes the task's images into its rows of the output as float32 in [0, 1]: uint8 pixels are divided by
 * 255, float pixels (already in [0, 1]) are kept.
 */
export function normalizeShard({ pixels, indices, out, firstRow }: NormalizeTask): void {
  const scale = pixels instanceof Uint8Array ? 1 / 255 : 1;
  for (let row = 0; row < indices.length; row++) {
    const from = indices[row]! * PIXELS;
    const to = (firstRow + row) * PIXELS;
    for (let p = 0; p < PIXELS; p++) out[to + p] = pixels[from + p]! * scale;
  }
}
