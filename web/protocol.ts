// The messages between the page (page.ts) and its trainer worker (trainer_worker.ts).
import type { BenchModel } from '../bench/bench_models.js';
import type { StepResult } from '../bench/step_runner.js';
import type { ModelName } from '../src/models/registry.js';

/** Which data: the built-in handwriting-font set drawn in the page, the quick set of bars (web/synthetic.ts), or the user's pickle. */
export type DataKind = 'fonts' | 'bars' | 'pickle';

/** A pickle file the user chose or dropped: its name and bytes. */
export interface PickleFile {
  name: string;
  bytes: Uint8Array;
}

/** The page asks the trainer to train. */
export interface TrainRequest {
  type: 'train';
  data: DataKind;
  /** The file when `data` is `pickle`. */
  pickle?: PickleFile;
  models: ModelName[];
  /** Threads asked for; the trainer uses one when the page is not cross-origin isolated. */
  threads: number;
  epochs: number;
  /** Epochs without a better val_loss before early stopping ends training (the notebook's 3). */
  patience: number;
  /** RMSprop's learning rate (the notebook's 0.001). */
  learningRate: number;
  /** Images of the data set, split 80/20 into training and test. */
  images: number;
  seed: number;
}

/** The page asks the trainer to stop at the next step; the epochs finished so far are kept. */
export interface StopRequest {
  type: 'stop';
}

/** The page asks the trained networks what a drawn character is: the drawing pad's RGBA pixels. */
export interface PredictRequest {
  type: 'predict';
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
}

/** One network's three most probable characters for a drawing. */
export interface ModelGuesses {
  model: ModelName;
  top: { char: string; probability: number }[];
}

/** One network on the test split, as the notebook's last cells show it. */
export interface TestResults {
  model: ModelName;
  accuracy: number;
  /** 36 x 36 counts, row = true class, column = predicted class. */
  confusion: Uint32Array;
  /** Up to 16 misclassified test images (uint8, 56x56 each), their true and their predicted classes. */
  wrong: { pixels: Uint8Array; labels: Uint8Array; predicted: Uint8Array };
}

/** One epoch's loss and accuracy on the training and validation splits. */
export interface EpochPoint {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
}

/** What one model reached: the figures of its last finished epoch (NaN when stopped before one finished). */
export interface ModelResult {
  model: ModelName;
  /** Epochs finished. */
  epochs: number;
  /** Training ended on early stopping (val_loss stopped improving) or on the page's stop button. */
  ended: 'epochs' | 'early stopping' | 'stopped';
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
  /** The first 16 images and their labels, for the page's 4x4 grid. */
  | { type: 'samples'; pixels: Uint8Array; labels: Uint8Array }
  | { type: 'done'; results: ModelResult[]; facts: BackendFacts }
  /** A drawing as the networks saw it (56x56 in [0, 1], converted as `npm run predict` converts an image) and their guesses. */
  | { type: 'prediction'; image: Float32Array; guesses: ModelGuesses[] }
  | { type: 'prediction-failed'; message: string }
  /** A trained network's score on the test split: its confusion matrix and its first misclassified images. */
  | { type: 'results'; results: TestResults }
  /**
   * A trained network in TensorFlow.js layers format, as `npm run train` writes it and `npm run predict` reads
   * it, and as a Keras `.h5` file, as the project's exporter writes it.
   */
  | { type: 'model-files'; model: ModelName; json: string; weights: Uint8Array; h5: Uint8Array }
  /** One finished epoch's figures, for the page's loss and accuracy curves. */
  | { type: 'epoch'; model: ModelName; point: EpochPoint }
  | { type: 'failed'; message: string };

/** `npm run bench`'s browser rows ask the bench worker (bench_worker.ts) to time training steps, as Node's timing child does. */
export interface BenchRequest {
  model: BenchModel;
  batches: number;
  threads: number;
  batchSize: number;
}

/** The bench worker's answer: the step times and what ran (bench/step_runner.ts's StepResult), or why it could not. */
export type BenchReply = StepResult & { threads?: number };
