import { createHash, type Hash } from 'node:crypto';
import { PIXELS } from '../data/dataset.js';
import { normalizeImage } from '../data/normalize.js';
import type { Prepared, Split } from '../data/preprocess.js';

/** What a run trained on, precisely enough that a resume refuses any other data. */
export interface DataIdentity {
  source: string;
  samples: number;
  train: number;
  test: number;
  /** SHA-256 of the float32 pixels training reads and the labels of both splits, in order (3 s for 30,000 images on the loaded 2-core machine). */
  sha256: string;
}

/** Images normalised at a time while hashing: 1.6 MB of float32. */
const HASH_CHUNK = 128;

/**
 * Identifies prepared data: its source line, its counts, and a hash of exactly what training reads: each
 * split's images as the float32 a batch holds, then its labels. The floats are made a chunk at a time, so
 * the hash needs no float copy of the set, and it equals the hash of the whole-set float32 splits that
 * checkpoints written before batches were normalised one at a time hold, so those still resume.
 */
export function identifyData(source: string, data: Prepared): DataIdentity {
  const hash = createHash('sha256');
  hashSplit(hash, data.train);
  hashSplit(hash, data.test);
  return { source, samples: data.train.count + data.test.count, train: data.train.count, test: data.test.count, sha256: hash.digest('hex') };
}

function hashSplit(hash: Hash, split: Split): void {
  const chunk = new Float32Array(HASH_CHUNK * PIXELS);
  const bytes = new Uint8Array(chunk.buffer);
  for (let start = 0; start < split.count; start += HASH_CHUNK) {
    const size = Math.min(HASH_CHUNK, split.count - start);
    for (let i = 0; i < size; i++) normalizeImage(split.pixels, split.rows[start + i]!, chunk, i * PIXELS);
    // Copied by update before the next chunk overwrites the buffer.
    hash.update(bytes.subarray(0, size * PIXELS * 4));
  }
  hash.update(split.labels);
}
