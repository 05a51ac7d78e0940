import { describe, expect, test } from 'vitest';
import { PIXELS, type RawDataset } from '../../src/data/dataset.js';
import { inOrder, preprocess, splitOf } from '../../src/data/preprocess.js';
import { seededPermutation, seededRandom } from '../../src/util/random.js';

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
  test('splits as train_test_split does (test rounded up), as indices that cover every image exactly once', () => {
    const raw = tagged(251, false);
    const data = preprocess(raw, { testSplit: 0.2, seed: 1 });
    expect(data.test.count).toBe(Math.ceil(251 * 0.2));
    expect(data.train.count + data.test.count).toBe(251);
    const seen = new Set<number>();
    for (const split of [data.train, data.test]) {
      expect(split.rows).toHaveLength(split.count);
      // The splits read the loaded pixels where they lie: no copy, whole-set or otherwise.
      expect(split.pixels).toBe(raw.pixels);
      split.rows.forEach((row, i) => {
        seen.add(row);
        expect(split.labels[i]).toBe(raw.labels[row]);
      });
    }
    expect(seen.size).toBe(251);
    expect(data.imagesPerSecond).toBeGreaterThan(0);
    expect(Number.isFinite(data.imagesPerSecond)).toBe(true);
  });

  test('the test split is the head of the seeded permutation and the training split its tail, in order', () => {
    const raw = tagged(120, false);
    const data = preprocess(raw, { testSplit: 0.2, seed: 9 });
    const order = seededPermutation(120, 9);
    expect(Array.from(data.test.rows)).toEqual(Array.from(order.subarray(0, 24)));
    expect(Array.from(data.train.rows)).toEqual(Array.from(order.subarray(24)));
    const other = preprocess(raw, { testSplit: 0.2, seed: 10 });
    expect(Array.from(other.train.rows)).not.toEqual(Array.from(data.train.rows));
  });

  test('float pixels are shared as they are', () => {
    const raw = tagged(40, true);
    const data = preprocess(raw, { testSplit: 0.25, seed: 5 });
    expect(data.train.pixels).toBe(raw.pixels);
  });

  test('too few images for the split is one sentence naming the source', () => {
    expect(() => preprocess(tagged(3, false), { testSplit: 0.9, seed: 1 })).toThrow(/has 3 images: too few/);
  });

  test('splitOf without rows is the whole set in order', () => {
    const raw = tagged(10, false);
    const split = splitOf(raw);
    expect(Array.from(split.rows)).toEqual(Array.from(inOrder(10)));
    expect(split.labels).toEqual(raw.labels);
  });
});
