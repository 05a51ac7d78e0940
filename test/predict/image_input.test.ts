import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, test } from 'vitest';
import { IMAGE_SIZE, PIXELS } from '../../src/data/dataset.js';
import { loadCharacterImage } from '../../src/predict/image_input.js';
import { GLYPH_EXTENT } from '../../src/predict/training_image.js';
import { UserError } from '../../src/util/user_error.js';

type Style = { ink: string; paper: string | null };

/** A PNG of a thick, slanted "K"-like stroke figure drawn at `scale` on a width x height canvas. */
async function drawnCharacter(width: number, height: number, scale: number, style: Style, format: 'png' | 'jpeg' | 'inverted-png' = 'png'): Promise<string> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (style.paper !== null) {
    ctx.fillStyle = style.paper;
    ctx.fillRect(0, 0, width, height);
  }
  ctx.strokeStyle = style.ink;
  ctx.translate(width * 0.3, height * 0.2);
  ctx.scale(scale, scale);
  ctx.lineWidth = 6;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(0, 0);
  ctx.lineTo(4, 50);
  ctx.moveTo(2, 25);
  ctx.lineTo(28, 2);
  ctx.moveTo(10, 20);
  ctx.lineTo(30, 48);
  ctx.stroke();
  if (format === 'inverted-png') {
    // Exactly 255 - v in every channel: anti-aliasing of dark-on-light is not the exact complement of light-on-dark.
    const pixels = ctx.getImageData(0, 0, width, height);
    for (let i = 0; i < pixels.data.length; i++) if (i % 4 !== 3) pixels.data[i] = 255 - pixels.data[i]!;
    ctx.putImageData(pixels, 0, 0);
  }
  const dir = await mkdtemp(join(tmpdir(), 'char-'));
  const path = join(dir, format === 'jpeg' ? 'char.jpg' : 'char.png');
  await writeFile(path, format === 'jpeg' ? await canvas.encode('jpeg', 95) : await canvas.encode('png'));
  return path;
}

const light = { ink: '#fff', paper: '#000' };
const dark = { ink: '#000', paper: '#fff' };

function meanAbsDifference(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** Rows and columns the ink (above half) spans. */
function inkSpan(image: Float32Array): { width: number; height: number; centreX: number; centreY: number } {
  let left = IMAGE_SIZE,
    right = -1,
    top = IMAGE_SIZE,
    bottom = -1;
  for (let y = 0; y < IMAGE_SIZE; y++) {
    for (let x = 0; x < IMAGE_SIZE; x++) {
      if (image[y * IMAGE_SIZE + x]! < 0.5) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  return { width: right - left + 1, height: bottom - top + 1, centreX: (left + right + 1) / 2, centreY: (top + bottom + 1) / 2 };
}

describe('a character image in the training format', () => {
  test('is 56x56 floats in [0, 1]: black background, full-bright ink, longer side scaled to the glyph extent and centred', async () => {
    const image = await loadCharacterImage(await drawnCharacter(150, 110, 1.4, light));
    expect(image).toHaveLength(PIXELS);
    expect(Math.min(...image)).toBe(0);
    expect(Math.max(...image)).toBe(1);
    expect(image[0]).toBe(0);
    expect(image[PIXELS - 1]).toBe(0);
    const span = inkSpan(image);
    expect(Math.max(span.width, span.height)).toBeGreaterThanOrEqual(GLYPH_EXTENT - 3);
    expect(Math.max(span.width, span.height)).toBeLessThanOrEqual(GLYPH_EXTENT + 1);
    expect(Math.abs(span.centreX - IMAGE_SIZE / 2)).toBeLessThanOrEqual(2);
    expect(Math.abs(span.centreY - IMAGE_SIZE / 2)).toBeLessThanOrEqual(2);
  });

  test('the inverted image gives exactly the tensor of the same character in light ink on black', async () => {
    const want = await loadCharacterImage(await drawnCharacter(90, 130, 1.7, light));
    const got = await loadCharacterImage(await drawnCharacter(90, 130, 1.7, light, 'inverted-png'));
    expect(want.some((v) => v > 0)).toBe(true);
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  test('the same character drawn dark on light, at another size, on grey paper, or as a JPEG converts to nearly the same image', async () => {
    const want = await loadCharacterImage(await drawnCharacter(90, 130, 1.7, light));
    const drawnDark = await loadCharacterImage(await drawnCharacter(90, 130, 1.7, dark));
    const larger = await loadCharacterImage(await drawnCharacter(400, 400, 5, dark));
    const grey = await loadCharacterImage(await drawnCharacter(90, 130, 1.7, { ink: '#222', paper: '#c8c8c8' }));
    const jpeg = await loadCharacterImage(await drawnCharacter(90, 130, 1.7, dark, 'jpeg'));
    for (const image of [drawnDark, larger, grey, jpeg]) expect(meanAbsDifference(image, want)).toBeLessThan(0.03);
    // An unrelated image is far from it, so the bound above means something.
    const other = new Float32Array(PIXELS);
    other.set(want.subarray(PIXELS / 2), 0);
    expect(meanAbsDifference(other, want)).toBeGreaterThan(0.1);
  });

  test('a character on a transparent background uses its coverage, whatever its colour', async () => {
    const want = await loadCharacterImage(await drawnCharacter(90, 130, 1.7, light));
    for (const ink of ['#000', '#fff']) {
      const got = await loadCharacterImage(await drawnCharacter(90, 130, 1.7, { ink, paper: null }));
      expect(meanAbsDifference(got, want)).toBeLessThan(0.01);
    }
  });

  test('a blank image or a file that is not an image is a data error naming the file', async () => {
    const canvas = createCanvas(40, 40);
    canvas.getContext('2d').fillRect(0, 0, 40, 40);
    const blank = join(await mkdtemp(join(tmpdir(), 'char-')), 'blank.png');
    await writeFile(blank, await canvas.encode('png'));
    await expect(loadCharacterImage(blank)).rejects.toThrow(new UserError(`${blank} shows no character: the image is almost uniform`));
    const text = join(await mkdtemp(join(tmpdir(), 'char-')), 'text.png');
    await writeFile(text, 'not an image');
    await expect(loadCharacterImage(text)).rejects.toThrow(UserError);
    await expect(loadCharacterImage(text)).rejects.toThrow(/text\.png cannot be read as a PNG or JPEG image/);
  });
});
