import { registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './BatchMatMul.js';
import { conv2DConfig } from './Conv2D.js';
import { conv2dBackpropFilterConfig } from './Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput.js';
import { fusedConv2DConfig } from './FusedConv2D.js';
import { maxPoolConfig } from './MaxPool.js';
import { maxPoolGradConfig } from './MaxPoolGrad.js';
import { fusedMatMulConfig } from './_FusedMatMul.js';

/** This project's training kernels, alphabetised by the tfjs op each implements. */
const OWN_KERNELS: ReadonlyArray<(backendName: string) => KernelConfig> = [
  batchMatMulConfig,
  conv2DConfig,
  conv2dBackpropFilterConfig,
  conv2DBackpropInputConfig,
  fusedConv2DConfig,
  fusedMatMulConfig,
  maxPoolConfig,
  maxPoolGradConfig,
];

/** Names of the tfjs ops this project implements itself. */
export function ownKernelNames(): Set<string> {
  return new Set(OWN_KERNELS.map((make) => make('').kernelName));
}

/** Registers this project's kernels on a backend, in place of any it had for the same ops. */
export function registerOwnKernels(backendName: string): void {
  for (const make of OWN_KERNELS) registerKernel(make(backendName));
}
