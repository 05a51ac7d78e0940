import type { Checkpoint } from './checkpoint.js';
import type { TrainConfig } from './config.js';

/** What a run trains with, all of which a resume takes from the checkpoint (the command line may not change them). */
const SETTINGS = [
  'backend',
  'models',
  'data',
  'epochs',
  'batchSize',
  'patience',
  'samples',
  'limit',
  'testSplit',
  'seed',
  'learningRate',
  'threads',
] as const satisfies readonly (keyof TrainConfig)[];

/** The configuration of a resumed run: the checkpoint's settings, writing into the folder being resumed. */
export function resumeConfig(commandLine: TrainConfig, checkpoint: Checkpoint, dir: string): TrainConfig {
  const config: TrainConfig = { ...commandLine, out: dir, resume: dir };
  // JSON drops undefined values, so a setting missing from the checkpoint was undefined when it was written.
  for (const key of SETTINGS) Object.assign(config, { [key]: checkpoint.config[key] });
  return config;
}
