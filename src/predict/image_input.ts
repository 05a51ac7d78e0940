import { readFile } from 'node:fs/promises';
import { createCanvas, type Image, loadImage } from '@napi-rs/canvas';
import { UserError } from '../util/user_error.js';
import { type GreyImage, greyFromRgba, toTrainingImage } from './training_image.js';

// Reading an image file for `npm run predict`; the conversion itself is training_image.ts, which the
// browser page shares.

/** Reads a PNG or JPEG file and converts it to one training-format image: 3136 floats in [0, 1]. */
export async function loadCharacterImage(path: string): Promise<Float32Array> {
  let image: Image;
  try {
    image = await loadImage(await readFile(path));
  } catch (error) {
    throw new UserError(`${path} cannot be read as a PNG or JPEG image (${(error as Error).message})`);
  }
  if (image.width === 0 || image.height === 0) throw new UserError(`${path} is an empty image`);
  return toTrainingImage(greyOf(image), path);
}

/** Decoded image to grey levels: luma, or alpha when any pixel is transparent. */
export function greyOf(image: Image): GreyImage {
  const { width, height } = image;
  const ctx = createCanvas(width, height).getContext('2d');
  ctx.drawImage(image, 0, 0);
  return greyFromRgba(ctx.getImageData(0, 0, width, height).data, width, height);
}
