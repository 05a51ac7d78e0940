import { describe, expect, test } from 'vitest';
import { PIXELS } from '../../src/data/dataset.js';
import { drawImageGrid } from '../../src/report/image_grid.js';
import { brightness, decodePng } from './png_support.js';

/** An image, black but for a white square at rows and columns 20..35. */
function squareImage(kind: 'uint8' | 'float32'): Uint8Array | Float32Array {
  const pixels = kind === 'uint8' ? new Uint8Array(PIXELS) : new Float32Array(PIXELS);
  for (let y = 20; y < 36; y++) for (let x = 20; x < 36; x++) pixels[y * 56 + x] = kind === 'uint8' ? 255 : 1;
  return pixels;
}

describe('drawImageGrid', () => {
  test('lays images out in rows of cols, white ink on black, enlarged without blur', async () => {
    const tiles = [squareImage('uint8'), squareImage('float32'), squareImage('uint8')].map((pixels, i) => ({ pixels, caption: `Label is ${i}` }));
    const image = await decodePng(await drawImageGrid(tiles, { cols: 2, scale: 2 }).encode('png'));
    // Two columns of at least 112 px, two rows.
    expect(image.width).toBeGreaterThanOrEqual(2 * 112);
    expect(image.height).toBeGreaterThanOrEqual(2 * 112);
    // Find the first image's top-left corner: the first run of 40 black pixels (caption letters are narrower).
    const blackRun = (x: number, y: number): boolean => Array.from({ length: 40 }, (_, k) => brightness(image.rgb(x + k, y))).every((v) => v === 0);
    let corner: { x: number; y: number } | undefined;
    for (let y = 0; y < image.height / 2 && corner === undefined; y++) {
      for (let x = 0; x < image.width / 2; x++) {
        if (blackRun(x, y)) {
          corner = { x, y };
          break;
        }
      }
    }
    expect(corner).toBeDefined();
    const { x, y } = corner!;
    expect(brightness(image.rgb(x + 2 * 28, y + 2 * 28))).toBe(255); // inside the square
    expect(brightness(image.rgb(x + 2 * 10, y + 2 * 10))).toBe(0); // outside it
    expect(brightness(image.rgb(x + 2 * 20, y + 2 * 20))).toBe(255); // its first pixel, sharp
    expect(brightness(image.rgb(x + 2 * 20 - 1, y + 2 * 20 - 1))).toBe(0); // the one before, still black
    // The white margin around the grid.
    expect(brightness(image.rgb(1, image.height - 2))).toBe(255);
  });

  test('refuses an empty grid and an image of the wrong size', () => {
    expect(() => drawImageGrid([], { cols: 4 })).toThrow(/at least one image/);
    expect(() => drawImageGrid([{ pixels: new Uint8Array(10), caption: 'x' }], { cols: 4 })).toThrow(/3136 pixels, not 10/);
  });
});
