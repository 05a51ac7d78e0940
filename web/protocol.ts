// The messages between the page (page.ts) and its trainer worker (trainer_worker.ts).
import type { ModelName } from '../src/models/registry.js';

/** The page asks the trainer to train. */
export interface TrainRequest {
  type: 'train';
  models: ModelName[];
  /** Threads asked for; the trainer uses one when the page is not cross-origin isolated. */
  threads: number;
  epochs: number;
  /** Images of the synthetic set, split 80/20 into training and test. */
  images: number;
  seed: number;
}

/** What one model reached. */
export interface ModelResult {
  model: ModelName;
  epochs: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  samplesPerSecond: number;
  stepMs: number;
}

/** What the trainer ran on, so the page (and its test) can tell our kernels and threads ran. */
export interface BackendFacts {
  crossOriginIsolated: boolean;
  backend: string;
  threads: number;
  kernels: string;
  detail: string;
  /** Kernel calls that were split across more than one thread. */
  threadedCalls: number;
  /** Kernel calls run by this project's WASM kernels, on any number of threads. */
  kernelCalls: number;
  /** Why fewer threads than asked run, if so. */
  fallback?: string;
}

/** The trainer's answers: progress lines, facts, and the end. */
export type TrainerMessage =
  | { type: 'log'; text: string }
  | { type: 'backend'; facts: BackendFacts }
  | { type: 'done'; results: ModelResult[]; facts: BackendFacts }
  | { type: 'failed'; message: string };
