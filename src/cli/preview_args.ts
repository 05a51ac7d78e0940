import { parseFlags, wholeNumber } from './flags.js';
import { usageError } from './usage_error.js';

/** What `npm run preview` was asked for. */
export interface PreviewArgs {
  /** A pickle path, `synthetic`, or undefined for `data/train.pkl` when present, else synthetic. */
  data: string | undefined;
  out: string;
  seed: number;
  rows: number;
  cols: number;
  /** Size of the built-in set to draw from; undefined generates just the images shown. */
  samples: number | undefined;
}

/** Where the preview goes without `--out`: beside the training runs, which git ignores. */
export const DEFAULT_PREVIEW_OUT = 'runs/preview.png';

/** `npm run preview -- --help`. */
export const PREVIEW_HELP = `Draw a grid of random samples with their labels, as the notebook's "Look at the data" figure.

Usage: npm run preview -- [options]

  --data=PATH    a pickle of (X, y) numpy arrays, or "synthetic" for the built-in data set
                 (default data/train.pkl when present, else synthetic)
  --out=FILE     the PNG to write                                  (default ${DEFAULT_PREVIEW_OUT})
  --rows=N       rows of the grid                                  (default 4)
  --cols=N       columns of the grid                               (default 4)
  --seed=N       which samples are picked, and the built-in data   (default 42)
  --samples=N    size of the built-in set to pick from             (default 360, ten of each class)
  --help         show this text
`;

/** The preview command's flags, as node's parseArgs takes them. */
const PREVIEW_OPTIONS = {
  data: { type: 'string' },
  out: { type: 'string' },
  rows: { type: 'string' },
  cols: { type: 'string' },
  seed: { type: 'string' },
  samples: { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** Every flag the preview command accepts, without the leading `--`: what the documentation of its flags must list. */
export const PREVIEW_FLAGS = Object.keys(PREVIEW_OPTIONS) as readonly (keyof typeof PREVIEW_OPTIONS)[];

/** Reads the preview command's flags, or throws a usage error naming the bad flag. */
export function parsePreviewArgs(argv: string[]): PreviewArgs | 'help' {
  const values = parseFlags(argv, PREVIEW_OPTIONS);
  if (values.help === true) return 'help';
  if (values.samples !== undefined && values.data !== undefined && values.data !== 'synthetic') {
    throw usageError('--samples applies only to the built-in data set (--data=synthetic)');
  }
  if (values.out === '') throw usageError('--out must name a file');
  return {
    data: values.data,
    out: values.out ?? DEFAULT_PREVIEW_OUT,
    seed: wholeNumber('seed', values.seed, 42, 0),
    rows: wholeNumber('rows', values.rows, 4, 1, 20),
    cols: wholeNumber('cols', values.cols, 4, 1, 20),
    samples: values.samples === undefined ? undefined : wholeNumber('samples', values.samples, 0, 1, 1_000_000),
  };
}
