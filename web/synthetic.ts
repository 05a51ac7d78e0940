// A small deterministic data set made in the page: each of the 36 classes is a pattern of a few bars,
// drawn shifted and noisy per image. It stands in for the font-rendered set until that is generated in
// the browser too; it is learnable in one epoch, so accuracy above chance shows training works.
import { IMAGE_SIZE, NUM_CLASSES, PIXELS, type RawDataset } from '../src/data/dataset.js';
import { seededRandom } from '../src/util/random.js';

interface Bar {
  x: number;
  y: number;
  w: number;
  h: number;
}

function classPattern(random: () => number): Bar[] {
  const bars: Bar[] = [];
  for (let i = 0; i < 4; i++) {
    const vertical = random() < 0.5;
    const long = 16 + Math.floor(random() * 24);
    const w = vertical ? 4 : long;
    const h = vertical ? long : 4;
    bars.push({ x: 6 + Math.floor(random() * (IMAGE_SIZE - 12 - w)), y: 6 + Math.floor(random() * (IMAGE_SIZE - 12 - h)), w, h });
  }
  return bars;
}

/** `count` images, classes in turn, as uint8 pixels: the same seed gives the same bytes. */
export function syntheticDataset(count: number, seed: number): RawDataset {
  const patterns = Array.from({ length: NUM_CLASSES }, (_, c) => classPattern(seededRandom(seed * 1000 + c)));
  const random = seededRandom(seed);
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % NUM_CLASSES;
    labels[n] = label;
    const image = pixels.subarray(n * PIXELS, (n + 1) * PIXELS);
    const dx = Math.floor(random() * 7) - 3;
    const dy = Math.floor(random() * 7) - 3;
    const ink = 150 + Math.floor(random() * 105);
    for (const bar of patterns[label]!) {
      for (let y = bar.y + dy; y < bar.y + dy + bar.h; y++) {
        for (let x = bar.x + dx; x < bar.x + dx + bar.w; x++) image[y * IMAGE_SIZE + x] = ink;
      }
    }
    for (let i = 0; i < PIXELS; i++) image[i] = Math.min(255, image[i]! + Math.floor(random() * 40));
  }
  return { pixels, labels, count, source: `synthetic bars (seed ${seed})` };
}
