import { readFileSync } from 'node:fs';
import { loadImage } from '@napi-rs/canvas';
import { whiteCanvas } from '../../src/report/png.js';

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A decoded picture whose pixels can be read back as [r, g, b]. */
export interface Decoded {
  width: number;
  height: number;
  rgb(x: number, y: number): [number, number, number];
}

/** Decodes PNG bytes (checking the signature first) into readable pixels. */
export async function decodePng(bytes: Buffer | Uint8Array): Promise<Decoded> {
  const buffer = Buffer.from(bytes);
  if (!buffer.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG: bad signature');
  const image = await loadImage(buffer);
  const { ctx } = whiteCanvas(image.width, image.height);
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height).data;
  return {
    width: image.width,
    height: image.height,
    rgb: (x, y) => {
      const k = (Math.floor(y) * image.width + Math.floor(x)) * 4;
      return [data[k]!, data[k + 1]!, data[k + 2]!];
    },
  };
}

/** Decodes a PNG file. */
export async function decodePngFile(path: string): Promise<Decoded> {
  return decodePng(readFileSync(path));
}

/** Mean of red, green and blue: 0 black, 255 white. */
export function brightness([r, g, b]: [number, number, number]): number {
  return (r + g + b) / 3;
}
