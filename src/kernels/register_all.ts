import { registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './BatchMatMul.js';
import { conv2dBackpropFilterConfig } from './Conv2DBackpropFilter.js';
import { fusedMatMulConfig } from './_FusedMatMul.js';

/** This project's training kernels, alphabetised by the tfjs op each implements. */
const OWN_KERNELS: ReadonlyArray<(backendName: string) => KernelConfig> = [
  batchMatMulConfig,
  conv2dBackpropFilterConfig,
  fusedMatMulConfig,
];

/** Names of the tfjs ops this project implements itself. */
export function ownKernelNames(): Set<string> {
  return new Set(OWN_KERNELS.map((make) => make('').kernelName));
}

/** Registers this project's kernels on a backend, in place of any it had for the same ops. */
export function registerOwnKernels(backendName: string): void {
  for (const make of OWN_KERNELS) registerKernel(make(backendName));
}
