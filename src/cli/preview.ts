import { availableParallelism } from 'node:os';
import { CLASS_CHARS, PIXELS } from '../data/dataset.js';
import { loadSource } from '../data/source.js';
import { drawImageGrid } from '../report/image_grid.js';
import { writePng } from '../report/png.js';
import { seededPermutation } from '../util/random.js';
import { parsePreviewArgs, PREVIEW_HELP } from './preview_args.js';
import { runCli } from './run_cli.js';

async function main(argv: string[]): Promise<void> {
  const args = parsePreviewArgs(argv);
  if (args === 'help') return void process.stdout.write(PREVIEW_HELP);
  const shown = args.rows * args.cols;
  const raw = await loadSource({
    data: args.data,
    samples: args.samples ?? shown,
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
