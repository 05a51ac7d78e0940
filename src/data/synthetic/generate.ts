import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { workerEntry } from '../../util/worker_entry.js';
import { NUM_CLASSES, PIXELS, type RawDataset } from '../dataset.js';
import { type WorkerFile, withThreadPool } from '../thread_pool.js';
import { cacheFile, readCache, writeCache } from './cache.js';
import { shuffledLabels } from './random.js';
import { GENERATOR_VERSION, type RenderTask } from './render.js';

/** What to generate and how. */
export interface SyntheticOptions {
  /** Number of images; classes are balanced to within one sample. */
  samples: number;
  /** Any safe integer; the same (seed, samples) always gives byte-identical data. */
  seed: number;
  /** Directory of the cache file; defaults to `data/` in the working directory. */
  cacheDir?: string;
  /** Worker threads rendering in parallel; defaults to the number of cores. */
  threads?: number;
  /** Called after each rendered run of samples; not called when the data comes from the cache. */
  onProgress?: (done: number, total: number) => void;
  /** The thread entry; `workers/render` unless a test swaps in one that fails. */
  worker?: WorkerFile;
}

// In the working directory, like the default pickle: an installed package's own folder is not ours to write.
const DEFAULT_CACHE_DIR = resolve('data');
// Large enough that messaging costs nothing next to rendering (~1 ms a sample), small enough
// for smooth progress and for both threads to get work on small data sets.
const MAX_CHUNK = 256;

function check(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
}

/** Renders every sample on a pool of worker threads and assembles them in sample order. */
async function renderAll(
  labels: Uint8Array,
  seed: number,
  threads: number,
  worker: WorkerFile,
  onProgress?: (done: number, total: number) => void,
): Promise<Uint8Array> {
  const total = labels.length;
  const chunk = Math.min(MAX_CHUNK, Math.ceil(total / (threads * 4)));
  const tasks: RenderTask[] = [];
  for (let start = 0; start < total; start += chunk) {
    tasks.push({ seed, start, labels: labels.slice(start, start + chunk) });
  }
  const pixels = new Uint8Array(total * PIXELS);
  let done = 0;
  const poolOptions = {
    worker,
    threads: Math.min(threads, tasks.length),
    what: 'rendering',
    // With Atomics a worker sleeps between tasks without turning its event loop, so the canvas's
    // pixel buffers, freed by finalizers that run on the loop, pile up (3 GB RSS for 30k samples).
    atomics: 'disabled',
  } as const;
  await withThreadPool<RenderTask, Uint8Array, number>(poolOptions, async (run) => {
    await Promise.all(
      tasks.map(async (task) => {
        const result = await run(task);
        pixels.set(result, task.start * PIXELS);
        done += task.labels.length;
        onProgress?.(done, total);
      }),
    );
    return done;
  });
  return pixels;
}

/**
 * The built-in data set: the 36 characters in handwriting fonts, randomly posed, distorted and
 * noised, as 56x56 uint8 images (white ink on black); loaded from the cache when a previous
 * run made the same data.
 */
export async function generateSynthetic(opts: SyntheticOptions): Promise<RawDataset> {
  const { samples, seed } = opts;
  check('samples', samples, 1);
  check('seed', seed, Number.MIN_SAFE_INTEGER);
  const threads = opts.threads ?? availableParallelism();
  check('threads', threads, 1);
  const source = `synthetic(samples=${samples}, seed=${seed})`;
  const path = cacheFile(opts.cacheDir ?? DEFAULT_CACHE_DIR, GENERATOR_VERSION, seed, samples);
  const cached = readCache(path, GENERATOR_VERSION, seed, samples);
  if (cached) return { ...cached, count: samples, source };

  const labels = shuffledLabels(samples, NUM_CLASSES, seed);
  const pixels = await renderAll(labels, seed, threads, opts.worker ?? workerEntry('render'), opts.onProgress);
  try {
    writeCache(path, GENERATOR_VERSION, seed, { labels, pixels });
  } catch (error) {
    // The data is good either way; a read-only or full disk only costs the next run a regeneration.
    process.emitWarning(`could not write the synthetic data cache ${path}: ${(error as Error).message}`);
  }
  return { pixels, labels, count: samples, source };
}
