import { parseArgs } from 'node:util';
import type { BackendRequest } from '../backends/select.js';
import { BACKEND_NAMES } from '../backends/types.js';
import { MODEL_NAMES, type ModelName } from '../models/registry.js';
import { DEFAULT_CONFIG, type TrainConfig } from '../train/config.js';
import { parseFlags, wholeNumber } from './flags.js';
import type { OutputFlags } from './terminal.js';
import { usageError } from './usage_error.js';

/** `npm run train -- --help`. */
export const TRAIN_HELP = `Train the notebook's two networks on handwritten 0-9 and A-Z.

Usage: npm run train -- [options]

  --backend=NAME     auto | cuda | wasm | tfjs-wasm | cpu            (default auto: cuda if a GPU is
                     really in use, else wasm)
  --model=NAME       fc | cnn | both                                 (default both)
  --data=PATH        a pickle of (X, y) numpy arrays, or "synthetic" for the built-in data set
                     (default data/train.pkl when present, else synthetic)
  --epochs=N         most epochs to train                            (default ${DEFAULT_CONFIG.epochs})
  --batch-size=N     samples per training step                       (default ${DEFAULT_CONFIG.batchSize})
  --patience=N       epochs without a better val_loss before stopping (default ${DEFAULT_CONFIG.patience})
  --samples=N        samples the built-in data set generates         (default ${DEFAULT_CONFIG.samples})
  --limit=N          use only the first N samples
  --test-split=F     fraction held out for validation and test       (default ${DEFAULT_CONFIG.testSplit})
  --seed=N           seed for data, split, shuffling and weights     (default ${DEFAULT_CONFIG.seed})
  --learning-rate=F  RMSprop learning rate                           (default ${DEFAULT_CONFIG.learningRate})
  --out=DIR          output folder                                   (default runs/<timestamp>/)
  --threads=N        threads for the WASM kernels and for rendering the built-in data set  (default: all cores)
  --resume=DIR       continue the interrupted run in DIR from its checkpoint, with its settings
                     (none of the options above may be given with it)
  --quiet            print only warnings, errors and one closing line with the test accuracies
  --json             print one JSON object per line on stdout instead (see README); not with --quiet
  --no-color         no colour (colour is used only on a terminal, and never when NO_COLOR is set)
  --help             show this text
`;

/** How each flag of the train command is read: its value is a string to check, or a switch. */
const TRAIN_OPTIONS = {
  backend: { type: 'string' },
  model: { type: 'string' },
  data: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  patience: { type: 'string' },
  samples: { type: 'string' },
  limit: { type: 'string' },
  'test-split': { type: 'string' },
  seed: { type: 'string' },
  'learning-rate': { type: 'string' },
  out: { type: 'string' },
  threads: { type: 'string' },
  resume: { type: 'string' },
  // Read by parseOutputFlags; listed here so that strict parsing accepts them.
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** Every flag the train command accepts, without the leading `--`: what the documentation of its flags must list. */
export const TRAIN_FLAGS = Object.keys(TRAIN_OPTIONS) as readonly (keyof typeof TRAIN_OPTIONS)[];

/** Reads the train command's flags into a configuration, or throws a usage error naming the bad flag. */
export function parseTrainArgs(argv: string[]): TrainConfig | 'help' {
  const values = parseFlags(argv, TRAIN_OPTIONS);
  if (values.help === true) return 'help';
  if (values.resume !== undefined) refuseSettingsWithResume(values);
  const d = DEFAULT_CONFIG;
  return {
    backend: oneOf('backend', values.backend, ['auto', ...BACKEND_NAMES], d.backend) as BackendRequest,
    models: parseModels(values.model),
    data: values.data,
    epochs: wholeNumber('epochs', values.epochs, d.epochs, 1),
    batchSize: wholeNumber('batch-size', values['batch-size'], d.batchSize, 1),
    patience: wholeNumber('patience', values.patience, d.patience, 0),
    samples: wholeNumber('samples', values.samples, d.samples, 36),
    limit: values.limit === undefined ? undefined : wholeNumber('limit', values.limit, 0, 2),
    testSplit: fraction('test-split', values['test-split'], d.testSplit),
    seed: wholeNumber('seed', values.seed, d.seed, 0),
    learningRate: positive('learning-rate', values['learning-rate'], d.learningRate),
    out: values.out,
    threads: wholeNumber('threads', values.threads, d.threads, 1),
    resume: values.resume,
  };
}

/** Flags that decide what a run trains, which a resumed run takes from its checkpoint. */
const SETTINGS_FLAGS = [
  'backend',
  'model',
  'data',
  'epochs',
  'batch-size',
  'patience',
  'samples',
  'limit',
  'test-split',
  'seed',
  'learning-rate',
  'out',
  'threads',
];

/** A resumed run must train exactly as it began, so it refuses flags that would change that rather than ignore them. */
function refuseSettingsWithResume(values: Record<string, unknown>): void {
  if (values.resume === '') throw usageError('--resume needs the folder of the run to continue, as in --resume=runs/x');
  const given = SETTINGS_FLAGS.filter((flag) => values[flag] !== undefined);
  if (given.length > 0) {
    throw usageError(`--resume continues with the settings the run began with; drop ${given.map((f) => `--${f}`).join(', ')}`);
  }
}

/**
 * The output flags, apart from the configuration because `report.json` records the configuration and how a
 * run printed is not part of what it trained. Call after `parseTrainArgs`, which has refused any bad flag.
 */
export function parseOutputFlags(argv: string[]): OutputFlags {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: { quiet: { type: 'boolean' }, json: { type: 'boolean' }, 'no-color': { type: 'boolean' } },
  });
  const flags = { quiet: values.quiet === true, json: values.json === true, noColor: values['no-color'] === true };
  if (flags.quiet && flags.json) throw usageError('--quiet and --json cannot be used together: --json already prints nothing but JSON lines');
  return flags;
}

function parseModels(value: string | undefined): ModelName[] {
  const choice = oneOf('model', value, [...MODEL_NAMES, 'both'], 'both');
  return choice === 'both' ? [...MODEL_NAMES] : [choice as ModelName];
}

function oneOf(flag: string, value: string | undefined, allowed: readonly string[], fallback: string): string {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw usageError(`--${flag} must be one of ${allowed.join(', ')}, not "${value}"`);
  return value;
}

function fraction(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw usageError(`--${flag} must be a number between 0 and 1, not "${value}"`);
  return n;
}

function positive(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0 && Number.isFinite(n))) throw usageError(`--${flag} must be a positive number, not "${value}"`);
  return n;
}
