#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import { CLASS_CHARS, NUM_CLASSES, PIXELS } from '../data/dataset.js';
import { loadSource } from '../data/source.js';
import { drawImageGrid } from '../report/image_grid.js';
import { writePng } from '../report/png.js';
import { seededPermutation } from '../util/random.js';
import { PREVIEW_HELP, parsePreviewArgs } from './preview_args.js';
import { runCli } from './run_cli.js';

/** How many built-in images the preview picks from by default: ten of each of the 36 classes. */
const PREVIEW_POOL = 10 * NUM_CLASSES;

async function main(argv: string[]): Promise<void> {
  const args = parsePreviewArgs(argv);
  if (args === 'help') return void process.stdout.write(PREVIEW_HELP);
  const shown = args.rows * args.cols;
  const raw = await loadSource({
    data: args.data,
    // The built-in set holds every class equally, so a set only as large as the grid would show the first
    // classes only; ten of each class to pick from renders in well under a second.
    samples: args.samples ?? Math.max(shown, PREVIEW_POOL),
    seed: args.seed,
    threads: Math.min(2, availableParallelism()),
  });
  const picked = seededPermutation(raw.count, args.seed).subarray(0, Math.min(shown, raw.count));
  const tiles = [...picked].map((i) => ({
    pixels: raw.pixels.subarray(i * PIXELS, (i + 1) * PIXELS),
    caption: `Label is ${CLASS_CHARS[raw.labels[i]!]}`,
  }));
  const grid = drawImageGrid(tiles, { cols: args.cols, scale: 3, title: `${picked.length} random samples of ${raw.source}` });
  await writePng(args.out, grid);
  const shownLabels = [...picked].map((i) => CLASS_CHARS[raw.labels[i]!]).join(' ');
  process.stdout.write(`saved ${args.out}: ${picked.length} of ${raw.count} images, labelled ${shownLabels}\n`);
}

await runCli(main);
