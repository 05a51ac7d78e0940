import { IMAGE_SIZE, PIXELS } from '../data/dataset.js';
import { platform } from '../platform/index.js';
import { UserError } from '../util/user_error.js';

// How a photo or scan of one character becomes a training-format image. This is the only place the
// conversion is defined; README's "Predict" section describes it.
//
// The training format (the built-in generator, src/data/synthetic/render.ts) is a bright character
// (ink 190-255) on a black background, 56x56, the glyph's longer side 60-95% of the image and its centre
// near the image centre; preprocessing divides by 255. So:
// 1. Grey: ITU-R 601 luma of each pixel (as PIL's "L" mode). An image with transparency uses its alpha
//    instead, since a character drawn on a transparent background may be any colour.
// 2. Polarity: the median of the outermost ring of pixels is the background. When it is brighter than
//    mid-grey (dark ink on paper), the image is inverted.
// 3. Contrast: the background level maps to 0 and the brightest pixel to 255, clamped; an image with
//    less than MIN_CONTRAST between them holds no character.
// 4. Crop to the bounding box of pixels above INK_THRESHOLD, scale it with its aspect ratio kept so that
//    its longer side is GLYPH_EXTENT pixels, and centre it on a black 56x56 image.
// 5. Divide by 255.

/** Longer side of the character in the 56x56 image: 78%, the middle of the generator's 60-95%. */
export const GLYPH_EXTENT = 44;
/** Stretched level (0-255) a pixel needs to count as part of the character's bounding box. */
export const INK_THRESHOLD = 64;
/** Fewest grey levels between background and brightest pixel for an image to hold a character at all. */
export const MIN_CONTRAST = 32;

/** A greyscale image, one byte per pixel, row-major. */
export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8ClampedArray;
}

/** RGBA pixels (a canvas's) to grey levels: luma, or alpha when any pixel is transparent. */
export function greyFromRgba(rgba: Uint8ClampedArray, width: number, height: number): GreyImage {
  const pixels = new Uint8ClampedArray(width * height);
  let transparent = false;
  for (let i = 0; i < pixels.length && !transparent; i++) transparent = rgba[i * 4 + 3]! < 255;
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = transparent ? rgba[i * 4 + 3]! : 0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!;
  }
  return { width, height, pixels };
}

/** Steps 2-5 above on a grey image; `source` names it in the error for an image without a character. */
export function toTrainingImage(grey: GreyImage, source: string): Float32Array {
  const background = median(borderOf(grey));
  const bright = background > 127.5;
  const level = (v: number): number => (bright ? 255 - v : v);
  const floor = level(background);
  let peak = 0;
  for (const v of grey.pixels) peak = Math.max(peak, level(v));
  if (peak - floor < MIN_CONTRAST) throw new UserError(`${source} shows no character: the image is almost uniform`);

  const { width, height } = grey;
  const stretched = new Uint8ClampedArray(width * height);
  for (let i = 0; i < stretched.length; i++) stretched[i] = ((level(grey.pixels[i]!) - floor) / (peak - floor)) * 255;
  const box = inkBox(stretched, width, height);
  return centred(stretched, width, box);
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function borderOf({ width, height, pixels }: GreyImage): number[] {
  const ring: number[] = [];
  for (let x = 0; x < width; x++) ring.push(pixels[x]!, pixels[(height - 1) * width + x]!);
  for (let y = 1; y < height - 1; y++) ring.push(pixels[y * width]!, pixels[y * width + width - 1]!);
  return ring;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The smallest box (exclusive right and bottom) holding every pixel at or above INK_THRESHOLD. */
function inkBox(pixels: Uint8ClampedArray, width: number, height: number): Box {
  const box = { left: width, top: height, right: 0, bottom: 0 };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (pixels[y * width + x]! < INK_THRESHOLD) continue;
      box.left = Math.min(box.left, x);
      box.right = Math.max(box.right, x + 1);
      box.top = Math.min(box.top, y);
      box.bottom = Math.max(box.bottom, y + 1);
    }
  }
  return box;
}

/** Scales the box's contents so the longer side is GLYPH_EXTENT, centred on black, as floats in [0, 1]. */
function centred(pixels: Uint8ClampedArray, width: number, box: Box): Float32Array {
  const boxWidth = box.right - box.left;
  const boxHeight = box.bottom - box.top;
  const cropCtx = platform.canvas2d(boxWidth, boxHeight);
  const rgba = cropCtx.createImageData(boxWidth, boxHeight);
  for (let y = 0; y < boxHeight; y++) {
    for (let x = 0; x < boxWidth; x++) {
      const v = pixels[(box.top + y) * width + box.left + x]!;
      rgba.data.set([v, v, v, 255], (y * boxWidth + x) * 4);
    }
  }
  cropCtx.putImageData(rgba, 0, 0);

  const scale = GLYPH_EXTENT / Math.max(boxWidth, boxHeight);
  const w = boxWidth * scale;
  const h = boxHeight * scale;
  const ctx = platform.canvas2d(IMAGE_SIZE, IMAGE_SIZE);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, IMAGE_SIZE, IMAGE_SIZE);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(cropCtx.canvas, (IMAGE_SIZE - w) / 2, (IMAGE_SIZE - h) / 2, w, h);
  const out = ctx.getImageData(0, 0, IMAGE_SIZE, IMAGE_SIZE).data;
  const image = new Float32Array(PIXELS);
  for (let i = 0; i < PIXELS; i++) image[i] = out[i * 4]! / 255;
  return image;
}
