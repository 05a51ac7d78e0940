import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../util/user_error.js';
import { PIXELS, type RawDataset } from './dataset.js';
import { loadPickle } from './pickle.js';
import { generateSynthetic } from './synthetic/generate.js';

/**
 * `data/train.pkl` in the working directory (the repository's root under `npm run train`): used when present and
 * no `--data` is given, as the notebook read `../train.pkl`. Not beside the module, which may be an installed package.
 */
export const DEFAULT_PICKLE = resolve('data', 'train.pkl');

/** What to load and how. */
export interface SourceOptions {
  /** A pickle path, `synthetic`, or undefined for `data/train.pkl` when present, else synthetic. */
  data: string | undefined;
  samples: number;
  seed: number;
  threads: number;
  onProgress?: (done: number, total: number) => void;
}

/** Loads the user's pickle or generates (or reads from cache) the built-in data set. */
export async function loadSource(options: SourceOptions): Promise<RawDataset> {
  const path = options.data ?? (existsSync(DEFAULT_PICKLE) ? DEFAULT_PICKLE : 'synthetic');
  if (path === 'synthetic') {
    const synth = { samples: options.samples, seed: options.seed, threads: options.threads };
    return generateSynthetic(options.onProgress === undefined ? synth : { ...synth, onProgress: options.onProgress });
  }
  return loadPickle(path);
}

/** The first `limit` images of a data set (all of them when `limit` is undefined). */
export function firstImages(raw: RawDataset, limit: number | undefined): RawDataset {
  if (limit === undefined || limit >= raw.count) return raw;
  if (limit < 2) throw new UserError(`--limit=${limit} leaves too few images of ${raw.source} to split into train and test`);
  return {
    pixels: raw.pixels.subarray(0, limit * PIXELS),
    labels: raw.labels.subarray(0, limit),
    count: limit,
    source: `${raw.source}, first ${limit}`,
  };
}
