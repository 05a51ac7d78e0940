import { describe, expect, test } from 'vitest';
import { PIXELS, type RawDataset } from '../../src/data/dataset.js';
import { preprocess } from '../../src/data/preprocess.js';
import { seededRandom } from '../../src/util/random.js';

/** A data set whose every image is recognisable: pixel 0 holds its index, the rest random noise. */
function tagged(count: number, float: boolean): RawDataset {
  const r = seededRandom(3);
  const pixels = float ? new Float32Array(count * PIXELS) : new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 36;
    for (let p = 1; p < PIXELS; p++) pixels[i * PIXELS + p] = float ? r() : Math.floor(r() * 256);
    pixels[i * PIXELS] = float ? i / count : i;
  }
  return { pixels, labels, count, source: 'test' };
}

describe('preprocess', () => {
  test('splits as train_test_split does (test rounded up) and keeps every image exactly once', async () => {
    const raw = tagged(251, false);
    const data = await preprocess(raw, { testSplit: 0.2, seed: 1, threads: 2 });
    expect(data.test.count).toBe(Math.ceil(251 * 0.2));
    expect(data.train.count + data.test.count).toBe(251);
    const seen = new Set<number>();
    for (const split of [data.train, data.test]) {
      for (let row = 0; row < split.count; row++) {
        const index = Math.round(split.x[row * PIXELS]! * 255);
        seen.add(index);
        expect(split.labels[row]).toBe(index % 36);
        // Every pixel of the row came from that image, scaled by 1/255.
        for (const p of [1, 57, PIXELS - 1]) expect(split.x[row * PIXELS + p]).toBeCloseTo(raw.pixels[index * PIXELS + p]! / 255, 6);
      }
    }
    expect(seen.size).toBe(251);
    expect(data.imagesPerSecond).toBeGreaterThan(0);
  });

  test('float pixels already in [0, 1] are kept as they are', async () => {
    const raw = tagged(40, true);
    const data = await preprocess(raw, { testSplit: 0.25, seed: 5, threads: 2 });
    const row = 3;
    const index = Math.round(data.train.x[row * PIXELS]! * 40);
    expect(data.train.x[row * PIXELS + 100]).toBe(raw.pixels[index * PIXELS + 100]);
  });

  test('the same seed gives the same split whatever the thread count; another seed another split', async () => {
    const raw = tagged(120, false);
    const a = await preprocess(raw, { testSplit: 0.2, seed: 9, threads: 1 });
    const b = await preprocess(raw, { testSplit: 0.2, seed: 9, threads: 2 });
    const c = await preprocess(raw, { testSplit: 0.2, seed: 10, threads: 2 });
    expect(Buffer.from(a.train.x.buffer).equals(Buffer.from(b.train.x.buffer))).toBe(true);
    expect(Array.from(a.test.labels)).toEqual(Array.from(b.test.labels));
    expect(Buffer.from(a.train.x.buffer).equals(Buffer.from(c.train.x.buffer))).toBe(false);
  });
});
