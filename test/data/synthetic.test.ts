import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NUM_CLASSES, PIXELS, type RawDataset } from '../../src/data/dataset.js';
import { cacheFile } from '../../src/data/synthetic/cache.js';
import { applyAffine, downsample2, elasticField, mappedBounds, placeGlyph, remap } from '../../src/data/synthetic/distort.js';
import { generateSynthetic } from '../../src/data/synthetic/generate.js';
import { createRng, shuffledLabels } from '../../src/data/synthetic/random.js';
import { GENERATOR_VERSION } from '../../src/data/synthetic/render.js';
import { missingGlyphs } from '../../src/data/synthetic/woff.js';

const SAMPLES = 144;
const SEED = 7;
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'synthetic-test-'));
  dirs.push(dir);
  return dir;
};
afterAll(() =>
  dirs.forEach((dir) => {
    rmSync(dir, { recursive: true, force: true });
  }),
);

describe('seeded randomness', () => {
  it('repeats a sequence for the same key and changes it for another', () => {
    const draw = (seed: number, index: number): number[] => {
      const rng = createRng(seed, index, 2);
      return Array.from({ length: 8 }, () => rng.next());
    };
    expect(draw(1, 5)).toEqual(draw(1, 5));
    expect(draw(1, 5)).not.toEqual(draw(1, 6));
    expect(draw(1, 5)).not.toEqual(draw(2, 5));
    expect(draw(1, 5).every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('shuffles balanced labels', () => {
    const labels = shuffledLabels(100, 36, 3);
    const counts = new Array<number>(36).fill(0);
    for (const l of labels) counts[l]!++;
    expect(Math.min(...counts)).toBe(2);
    expect(Math.max(...counts)).toBe(3);
    expect([...labels.subarray(0, 36)]).not.toEqual([...Array(36).keys()]);
  });
});

describe('distortion maths', () => {
  const box = { left: 10, top: -70, right: 50, bottom: 0 };
  const still = { size: 40, aspect: 1, rotation: 0, shear: 0, shiftX: 0, shiftY: 0 };

  it('scales the longer side to the pose size and centres the glyph', () => {
    const { affine, scale } = placeGlyph(box, still, 56, 1);
    expect(scale).toBeCloseTo(40 / 70);
    const [cx, cy] = applyAffine(affine, 30, -35);
    expect(cx).toBeCloseTo(28);
    expect(cy).toBeCloseTo(28);
  });

  it('keeps a large, turned, slanted, shifted glyph inside the margin', () => {
    const wild = { size: 56, aspect: 1.3, rotation: 0.26, shear: 0.3, shiftX: 9, shiftY: -9 };
    const b = mappedBounds(placeGlyph(box, wild, 56, 2).affine, box);
    expect(b.left).toBeGreaterThanOrEqual(2 - 1e-9);
    expect(b.top).toBeGreaterThanOrEqual(2 - 1e-9);
    expect(b.right).toBeLessThanOrEqual(54 + 1e-9);
    expect(b.bottom).toBeLessThanOrEqual(54 + 1e-9);
  });

  it('builds a smooth elastic field of about the asked amplitude', () => {
    const { dx, dy } = elasticField(createRng(1, 1, 3), 56, 4, 2);
    const rms = Math.sqrt(dx.reduce((s, v) => s + v * v, 0) / dx.length);
    expect(rms).toBeGreaterThan(0.5);
    expect(rms).toBeLessThan(4);
    let jump = 0;
    for (let k = 1; k < dy.length; k++) if (k % 56 !== 0) jump = Math.max(jump, Math.abs(dy[k]! - dy[k - 1]!));
    // Under one pixel of change per pixel, so the warp never folds a stroke over itself.
    expect(jump).toBeLessThan(1);
    const flat = elasticField(createRng(1, 1, 3), 56, 4, 0);
    expect(flat.dx.every((v) => v === 0)).toBe(true);
  });

  it('remaps by the displacement and averages 2x2 blocks', () => {
    const src = Float32Array.from({ length: 16 }, (_, k) => k);
    const zero = new Float32Array(16);
    expect([...remap(src, 4, zero, zero)]).toEqual([...src]);
    const shifted = remap(src, 4, new Float32Array(16).fill(1), zero);
    expect([shifted[0], shifted[2], shifted[3]]).toEqual([1, 3, 0]);
    expect([...downsample2(src, 4)]).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  it('reads which glyphs a WOFF font maps', () => {
    const path = createRequire(import.meta.url).resolve('@fontsource/caveat/files/caveat-latin-400-normal.woff');
    expect(missingGlyphs(readFileSync(path), 'A9Z\u0416')).toEqual(['\u0416']);
  });
});

describe('generateSynthetic', () => {
  const cacheDir = tempDir();
  let data: RawDataset;
  beforeAll(async () => {
    data = await generateSynthetic({ samples: SAMPLES, seed: SEED, threads: 2, cacheDir });
  });

  it('returns uint8 56x56 images with one label each', () => {
    expect(data.pixels).toBeInstanceOf(Uint8Array);
    expect(data.pixels.length).toBe(SAMPLES * PIXELS);
    expect(data.labels).toBeInstanceOf(Uint8Array);
    expect(data.labels.length).toBe(SAMPLES);
    expect(data.count).toBe(SAMPLES);
    expect(data.source).toBe(`synthetic(samples=${SAMPLES}, seed=${SEED})`);
  });

  it('draws bright ink on a dark background in every image', () => {
    for (let i = 0; i < SAMPLES; i++) {
      const image = data.pixels.subarray(i * PIXELS, (i + 1) * PIXELS);
      const bright = image.filter((v) => v >= 128).length;
      const dark = image.filter((v) => v < 32).length;
      expect(Math.max(...image)).toBeGreaterThanOrEqual(150);
      expect(bright).toBeGreaterThan(PIXELS * 0.02);
      expect(dark).toBeGreaterThan(PIXELS * 0.5);
    }
  });

  it('balances the classes in shuffled order', () => {
    const counts = new Array<number>(NUM_CLASSES).fill(0);
    data.labels.forEach((l) => {
      counts[l]!++;
    });
    expect(counts).toEqual(new Array<number>(NUM_CLASSES).fill(SAMPLES / NUM_CLASSES));
    expect([...data.labels.subarray(0, NUM_CLASSES)]).not.toEqual([...Array(NUM_CLASSES).keys()]);
  });

  it('gives identical bytes for the same seed on 1 or 2 threads, and other bytes for another seed', async () => {
    const again = await generateSynthetic({ samples: SAMPLES, seed: SEED, threads: 1, cacheDir: tempDir() });
    expect(Buffer.from(again.pixels).equals(Buffer.from(data.pixels))).toBe(true);
    expect(Buffer.from(again.labels).equals(Buffer.from(data.labels))).toBe(true);
    const other = await generateSynthetic({ samples: SAMPLES, seed: SEED + 1, threads: 1, cacheDir: tempDir() });
    expect(Buffer.from(other.pixels).equals(Buffer.from(data.pixels))).toBe(false);
  });

  it('loads a second run from the cache without rendering', async () => {
    const file = cacheFile(cacheDir, GENERATOR_VERSION, SEED, SAMPLES);
    const written = statSync(file).mtimeMs;
    let progressCalls = 0;
    const cached = await generateSynthetic({ samples: SAMPLES, seed: SEED, cacheDir, onProgress: () => progressCalls++ });
    expect(progressCalls).toBe(0);
    expect(statSync(file).mtimeMs).toBe(written);
    expect(Buffer.from(cached.pixels).equals(Buffer.from(data.pixels))).toBe(true);
    expect(Buffer.from(cached.labels).equals(Buffer.from(data.labels))).toBe(true);
    expect(cached.source).toBe(data.source);
  });

  it('regenerates a truncated or corrupted cache file', async () => {
    const file = cacheFile(cacheDir, GENERATOR_VERSION, SEED, SAMPLES);
    const good = readFileSync(file);
    const damaged = [
      () => truncateSync(file, good.length - 1000),
      () => writeFileSync(file, Buffer.concat([good.subarray(0, 5000), Buffer.from([good[5000]! ^ 0xff]), good.subarray(5001)])),
    ];
    for (const damage of damaged) {
      damage();
      let progressCalls = 0;
      const fixed = await generateSynthetic({ samples: SAMPLES, seed: SEED, threads: 1, cacheDir, onProgress: () => progressCalls++ });
      expect(progressCalls).toBeGreaterThan(0);
      expect(Buffer.from(fixed.pixels).equals(Buffer.from(data.pixels))).toBe(true);
      expect(readFileSync(file).equals(good)).toBe(true);
    }
  });
});
