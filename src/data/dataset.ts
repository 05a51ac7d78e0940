/** Side of every image, in pixels, as in the notebook's data. */
export const IMAGE_SIZE = 56;
/** Pixels per image (56 x 56, one grey channel). */
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
/** Number of classes: the digits 0-9 then the letters A-Z. */
export const NUM_CLASSES = 36;
/** The character each class index stands for. */
export const CLASS_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Images and labels as loaded or generated, before preprocessing. */
export interface RawDataset {
  /** `count * 3136` pixels, each image row-major; uint8 in 0..255, or float32 already in [0, 1]. */
  pixels: Uint8Array | Float32Array;
  /** One class index in 0..35 per image. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
  /** Where the data came from, for reports: a file path or a generator description. */
  source: string;
}
