import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { writeFileAtomic } from '../util/atomic_write.js';

/** A canvas of the given size, painted white, with its 2D context. */
export function whiteCanvas(width: number, height: number): { canvas: Canvas; ctx: SKRSContext2D } {
  const canvas = createCanvas(Math.ceil(width), Math.ceil(height));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  return { canvas, ctx };
}

/** Encodes a canvas as PNG and writes it atomically, so a reader never sees half a picture. */
export async function writePng(path: string, canvas: Canvas): Promise<void> {
  await writeFileAtomic(path, await canvas.encode('png'));
}
