// The notebook's layer shapes and the kernel variants, in one list that the kernel tests and the kernel
// benchmarks both iterate (XNNPACK's .inc files): a new shape or build is tested and timed without being
// listed twice.
import { KERNEL_ISAS, type KernelIsa } from '../../../src/kernels/gemm/loader.js';

/** The notebook's batch size: the benchmarks time one training step of it. */
export const BATCH = 128;

/** A Dense layer: fan-in, fan-out. */
export type DenseLayer = readonly [fanIn: number, fanOut: number];

/** A 3x3 valid stride-1 Conv2D layer: input side, input channels, output channels. */
export type ConvLayer = readonly [side: number, cin: number, cout: number];

/** Dense layers of the FC net. The first four are ReLU layers, the first three followed by dropout 0.5. */
export const FC_LAYERS: readonly DenseLayer[] = [
  [3136, 700],
  [700, 700],
  [700, 500],
  [500, 500],
  [500, 36],
];

/** Conv2D layers of the CNN (3x3, valid, stride 1, each followed by ReLU). */
export const CNN_CONV_LAYERS: readonly ConvLayer[] = [
  [56, 1, 16],
  [54, 16, 32],
  [26, 32, 64],
  [12, 64, 128],
];

/** The CNN's max-pool window after each conv layer (none after conv1), and whether dropout 0.5 follows. */
export const CNN_POOLS: ReadonlyArray<{ pool?: number; dropout: boolean }> = [
  { dropout: false },
  { pool: 2, dropout: true },
  { pool: 2, dropout: true },
  { pool: 3, dropout: false },
];

/** The CNN's Dense layers after flattening 3x3x128. */
export const CNN_DENSE: readonly DenseLayer[] = [
  [1152, 500],
  [500, 36],
];

/** Every build of the kernels, best first (the loader's own list). */
export { KERNEL_ISAS };

/** Thread counts the kernels are timed on: the caller alone, and with one worker (the machine has two cores). */
export const THREAD_COUNTS = [1, 2] as const;

/** Thread counts the kernels are checked on: also three (splits that do not halve) and four (more threads than cores). */
export const TESTED_THREAD_COUNTS = [1, 2, 3, 4] as const;

/** The slowest tests' thread counts: the caller alone, and the most threads. */
const QUICK_THREAD_COUNTS = [1, 4] as const;

/** The GEMM register tile of each build (MR rows by NR columns; see src/kernels/assembly/isa.ts). */
export const GEMM_TILES: Readonly<Record<KernelIsa, { mr: number; nr: number }>> = {
  relaxed: { mr: 6, nr: 8 },
  simd: { mr: 5, nr: 8 },
};

/** Each build on each tested thread count: what every tfjs kernel's tests iterate over. */
export const KERNEL_VARIANTS: ReadonlyArray<{ kernelIsa: KernelIsa; threads: number }> = KERNEL_ISAS.flatMap((kernelIsa) =>
  TESTED_THREAD_COUNTS.map((threads) => ({ kernelIsa, threads })),
);

/** Each build on one and on four threads: for the kernel tests too slow to run on every thread count. */
export const QUICK_KERNEL_VARIANTS: ReadonlyArray<{ kernelIsa: KernelIsa; threads: number }> = KERNEL_ISAS.flatMap((kernelIsa) =>
  QUICK_THREAD_COUNTS.map((threads) => ({ kernelIsa, threads })),
);
