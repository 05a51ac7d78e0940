import { availableParallelism } from 'node:os';
import type { BackendRequest } from '../backends/select.js';
import { BACKEND_NAMES } from '../backends/types.js';
import { parseFlags, wholeNumber } from './flags.js';
import { usageError } from './usage_error.js';

/** `npm run predict -- --help`. */
export const PREDICT_HELP = `Predict characters with a model saved by npm run train.

Usage: npm run predict -- --model=DIR --input=PATH [options]

  --model=DIR        a model folder written by the trainer, such as runs/<time>/cnn,
                     or a Keras .h5 file as the browser page downloads it
  --input=PATH       a PNG or JPEG of one character (any size, dark on light or light on dark),
                     or a pickle of (X, y) as for training
  --limit=N          with a pickle, predict only the first N samples         (default all)
  --backend=NAME     auto | cuda | wasm | tfjs-wasm | cpu                    (default wasm)
  --threads=N        threads for the wasm backend                            (default: all cores)
  --help             show this text
`;

/** The predict command's settings. */
export interface PredictConfig {
  model: string;
  input: string;
  limit: number | undefined;
  backend: BackendRequest;
  threads: number;
}

/** The predict command's flags, as node's parseArgs takes them. */
const PREDICT_OPTIONS = {
  model: { type: 'string' },
  input: { type: 'string' },
  limit: { type: 'string' },
  backend: { type: 'string' },
  threads: { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** Every flag the predict command accepts, without the leading `--`: what the documentation of its flags must list. */
export const PREDICT_FLAGS = Object.keys(PREDICT_OPTIONS) as readonly (keyof typeof PREDICT_OPTIONS)[];

/** Reads the predict command's flags, or throws a usage error naming the bad flag. */
export function parsePredictArgs(argv: string[]): PredictConfig | 'help' {
  const values = parseFlags(argv, PREDICT_OPTIONS);
  if (values.help === true) return 'help';
  if (values.model === undefined || values.model === '') throw usageError('--model=DIR is required (see --help)');
  if (values.input === undefined || values.input === '') throw usageError('--input=PATH is required (see --help)');
  const backend = values.backend ?? 'wasm';
  if (!['auto', ...BACKEND_NAMES].includes(backend)) {
    throw usageError(`--backend must be one of auto, ${BACKEND_NAMES.join(', ')}, not "${backend}"`);
  }
  return {
    model: values.model,
    input: values.input,
    limit: values.limit === undefined ? undefined : wholeNumber('limit', values.limit, 0, 1),
    backend: backend as BackendRequest,
    threads: wholeNumber('threads', values.threads, availableParallelism(), 1),
  };
}
