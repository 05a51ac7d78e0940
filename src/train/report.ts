import { availableParallelism, cpus } from 'node:os';
import type { ModelName } from '../models/registry.js';
import { writeFileAtomic } from '../util/atomic_write.js';
import type { TrainConfig } from './config.js';
import type { Score } from './evaluate.js';
import type { EpochRecord } from './history.js';

/** One epoch in `report.json`, under Keras's History names. */
export interface ReportEpoch {
  epoch: number;
  loss: number;
  acc: number;
  val_loss: number;
  val_acc: number;
  seconds: number;
  /** Of `seconds`, the training steps; the rest beyond `validation_seconds` is the loop around them. */
  step_seconds: number;
  validation_seconds: number;
  samples_per_second: number;
}

/** One trained model in `report.json`. */
export interface ReportModel {
  parameters: number;
  history: ReportEpoch[];
  stoppedEarly: boolean;
  test: Score;
  /** Where the model was saved, relative to the report. */
  path: string;
}

/** The schema of `report.json`, documented in the README. */
export interface Report {
  version: 1;
  createdAt: string;
  config: TrainConfig;
  data: { source: string; samples: number; train: number; test: number; preprocessSeconds: number; preprocessImagesPerSecond: number };
  backend: { name: string; tfjsName: string; detail: string; threads: number; selection: string };
  machine: { cpu: string; cores: number; node: string; platform: string };
  models: Partial<Record<ModelName, ReportModel>>;
  /** The CNN's error reduction over the FC net in percent, as the notebook prints it; null unless both ran. */
  errorReduction: number | null;
}

/** An epoch record under the report's (Keras) names. */
export function reportEpoch(r: EpochRecord): ReportEpoch {
  return {
    epoch: r.epoch,
    loss: r.loss,
    acc: r.acc,
    val_loss: r.valLoss,
    val_acc: r.valAcc,
    seconds: r.seconds,
    step_seconds: r.stepSeconds,
    validation_seconds: r.validationSeconds,
    samples_per_second: r.samplesPerSecond,
  };
}

/** This machine, for reports and benchmarks. */
export function describeMachine(): Report['machine'] {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version, platform: `${process.platform}-${process.arch}` };
}

/** Writes `report.json` atomically. */
export async function writeReport(path: string, report: Report): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(report, null, 2)}\n`);
}
