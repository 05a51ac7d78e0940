import { availableParallelism } from 'node:os';
import type { BackendRequest } from '../backends/select.js';
import type { ModelName } from '../models/registry.js';

/** Everything a training run is configured by; the defaults are the notebook's. */
export interface TrainConfig {
  backend: BackendRequest;
  models: ModelName[];
  /** A pickle path, `synthetic` for the built-in data set, or undefined for `data/train.pkl` if present. */
  data: string | undefined;
  epochs: number;
  batchSize: number;
  /** Epochs without a better validation loss before training stops (Keras EarlyStopping). */
  patience: number;
  /** Samples the built-in data set generates. */
  samples: number;
  /** Train on the first N samples only. */
  limit: number | undefined;
  testSplit: number;
  seed: number;
  learningRate: number;
  /** Output folder; undefined means `runs/<timestamp>/`. */
  out: string | undefined;
  threads: number;
  /** A run folder whose checkpoint this run continues, taking every setting above from it. */
  resume: string | undefined;
}

/** The notebook's settings: RMSprop 0.001, batch 128, up to 30 epochs, patience 2, a 20% test split. */
export const DEFAULT_CONFIG: TrainConfig = {
  backend: 'auto',
  models: ['fc', 'cnn'],
  data: undefined,
  epochs: 30,
  batchSize: 128,
  patience: 2,
  samples: 30_134,
  limit: undefined,
  testSplit: 0.2,
  seed: 42,
  learningRate: 0.001,
  out: undefined,
  threads: availableParallelism(),
  resume: undefined,
};
