import type { ModelName } from '../models/registry.js';
import type { ReportEpoch } from './report.js';

/**
 * What a training run tells its caller, in order, as data: `npm run train -- --json` prints each event as
 * one line and the human output words it. Field names follow `report.json` (epochs under Keras's names).
 */
export type TrainEvent =
  | { event: 'backend'; name: string; tfjsName: string; threads: number; detail: string; selection: string }
  | { event: 'data'; source: string; images: number; seconds: number }
  | { event: 'preprocessed'; images: number; train: number; test: number; seconds: number; imagesPerSecond: number; threads: number }
  | { event: 'warning'; message: string }
  | { event: 'model'; model: ModelName }
  | ({ event: 'epoch'; model: ModelName; epochs: number } & ReportEpoch)
  | { event: 'test'; model: ModelName; loss: number; acc: number; epochs: number; stoppedEarly: boolean }
  | { event: 'error_reduction'; percent: number }
  | {
      event: 'saved';
      out: string;
      models: Partial<Record<ModelName, string>>;
      report: string;
      keras: Partial<Record<ModelName, string>>;
      pictures: string[];
      page: string;
    };

/** The name of each kind of event, its `event` field. */
export type TrainEventName = TrainEvent['event'];

type FieldsOf<E extends TrainEventName> = Exclude<keyof Extract<TrainEvent, { event: E }>, 'event'>;

/** Each event's fields besides `event`: what the documentation of `--json` must list. */
export const TRAIN_EVENT_FIELDS = {
  backend: ['name', 'tfjsName', 'threads', 'detail', 'selection'],
  data: ['source', 'images', 'seconds'],
  preprocessed: ['images', 'train', 'test', 'seconds', 'imagesPerSecond', 'threads'],
  warning: ['message'],
  model: ['model'],
  epoch: ['model', 'epochs', 'epoch', 'loss', 'acc', 'val_loss', 'val_acc', 'seconds', 'step_seconds', 'validation_seconds', 'samples_per_second'],
  test: ['model', 'loss', 'acc', 'epochs', 'stoppedEarly'],
  error_reduction: ['percent'],
  saved: ['out', 'models', 'report', 'keras', 'pictures', 'page'],
} as const satisfies { readonly [E in TrainEventName]: readonly FieldsOf<E>[] };

// `satisfies` refuses a listed field that no event has; this refuses a field of `TrainEvent` left unlisted.
type Unlisted = { [E in TrainEventName]: Exclude<FieldsOf<E>, (typeof TRAIN_EVENT_FIELDS)[E][number]> }[TrainEventName];
type EveryFieldListed<T extends true> = T;
// biome-ignore lint/correctness/noUnusedVariables: never used, only compiled: it fails to compile while a field is unlisted
type Checked = EveryFieldListed<[Unlisted] extends [never] ? true : false>;
