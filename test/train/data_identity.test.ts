import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { PIXELS } from '../../src/data/dataset.js';
import { preprocess, type Split } from '../../src/data/preprocess.js';
import { identifyData } from '../../src/train/data_identity.js';
import { seededRandom } from '../../src/util/random.js';

// A checkpoint keeps the SHA-256 of the data it was trained on, and a resume refuses other data. The hash
// is made a chunk of images at a time now, and must equal the hash of the whole float32 splits that
// preprocessing used to make, so that checkpoints written before still resume.

/** A split as whole-set preprocessing made it: its images gathered as float32, each uint8 times 1/255. */
function wholeFloat(split: Split): Float32Array {
  const x = new Float32Array(split.count * PIXELS);
  split.rows.forEach((row, i) => {
    for (let p = 0; p < PIXELS; p++) x[i * PIXELS + p] = (split.pixels[row * PIXELS + p] as number) * (1 / 255);
  });
  return x;
}

describe('identifyData', () => {
  test('hashes exactly what the whole float32 splits held, whatever the chunking', () => {
    // 300 images: the training split spans chunks of 128 and ends in a short one.
    const count = 300;
    const random = seededRandom(8);
    const pixels = Uint8Array.from({ length: count * PIXELS }, () => Math.floor(random() * 256));
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 36);
    const data = preprocess({ pixels, labels, count, source: 'test' }, { testSplit: 0.2, seed: 4 });
    const reference = createHash('sha256');
    for (const split of [data.train, data.test]) {
      reference.update(new Uint8Array(wholeFloat(split).buffer));
      reference.update(split.labels);
    }
    expect(identifyData('test', data)).toEqual({ source: 'test', samples: 300, train: 240, test: 60, sha256: reference.digest('hex') });
  });

  test('another split of the same images is other data', () => {
    const pixels = new Uint8Array(20 * PIXELS).map((_, i) => i % 251);
    const raw = { pixels, labels: new Uint8Array(20), count: 20, source: 'test' };
    const a = identifyData('test', preprocess(raw, { testSplit: 0.2, seed: 1 }));
    const b = identifyData('test', preprocess(raw, { testSplit: 0.2, seed: 2 }));
    expect(a.sha256).not.toBe(b.sha256);
  });
});
