import { describe, expect, test } from 'vitest';
import { PIXELS } from '../../src/data/dataset.js';
import { normalizeImage, UNIT_SCALE } from '../../src/data/normalize.js';
import { seededRandom } from '../../src/util/random.js';

/** The whole-set normalisation every release before per-batch normalisation ran: each uint8 times 1/255 into a Float32Array. */
function wholeSetReference(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  const scale = 1 / 255;
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! * scale;
  return out;
}

const bitsOf = (values: Float32Array): Uint32Array => new Uint32Array(values.buffer, values.byteOffset, values.length);

describe('normalizeImage', () => {
  test('every uint8 value scales to the same float32 bits as the whole-set formula', () => {
    const all = Uint8Array.from({ length: 256 }, (_, v) => v);
    expect(bitsOf(UNIT_SCALE)).toEqual(bitsOf(wholeSetReference(all)));
  });

  test('images normalised one at a time, in any order, equal the whole set normalised at once, bit for bit', () => {
    const count = 50;
    const random = seededRandom(11);
    const pixels = Uint8Array.from({ length: count * PIXELS }, () => Math.floor(random() * 256));
    const whole = wholeSetReference(pixels);
    const image = new Float32Array(PIXELS);
    for (const i of [49, 0, 17, 17, 33]) {
      normalizeImage(pixels, i, image, 0);
      expect(bitsOf(image)).toEqual(bitsOf(whole.subarray(i * PIXELS, (i + 1) * PIXELS)));
    }
  });

  test('float pixels are copied as they are, at the offset asked', () => {
    const random = seededRandom(12);
    const pixels = Float32Array.from({ length: 2 * PIXELS }, () => random());
    const out = new Float32Array(3 * PIXELS);
    normalizeImage(pixels, 1, out, PIXELS);
    expect(out.subarray(PIXELS, 2 * PIXELS)).toEqual(pixels.subarray(PIXELS));
    expect(out.subarray(0, PIXELS).every((v) => v === 0)).toBe(true);
  });
});
