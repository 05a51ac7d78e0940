import { registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { applyRMSPropConfig } from './ApplyRMSProp.js';
import { batchMatMulConfig } from './BatchMatMul.js';
import { castConfig } from './Cast.js';
import { conv2DConfig } from './Conv2D.js';
import { conv2dBackpropFilterConfig } from './Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput.js';
import { fusedConv2DConfig } from './FusedConv2D.js';
import { identityConfig } from './Identity.js';
import { maxPoolConfig } from './MaxPool.js';
import { maxPoolGradConfig } from './MaxPoolGrad.js';
import { multiplyConfig } from './Multiply.js';
import { reluConfig } from './Relu.js';
import { registerReluGradient, reluGradConfig } from './ReluGrad.js';
import { statelessDropoutConfig } from './StatelessDropout.js';
import { stepConfig } from './Step.js';
import { sumConfig } from './Sum.js';
import { fusedMatMulConfig } from './_FusedMatMul.js';

/** This project's training kernels, alphabetised by the tfjs op each implements. */
const OWN_KERNELS: ReadonlyArray<(backendName: string) => KernelConfig> = [
  applyRMSPropConfig,
  batchMatMulConfig,
  castConfig,
  conv2DConfig,
  conv2dBackpropFilterConfig,
  conv2DBackpropInputConfig,
  fusedConv2DConfig,
  fusedMatMulConfig,
  identityConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  multiplyConfig,
  reluConfig,
  reluGradConfig,
  statelessDropoutConfig,
  stepConfig,
  sumConfig,
];

/** Names of the tfjs ops this project implements itself. */
export function ownKernelNames(): Set<string> {
  return new Set(OWN_KERNELS.map((make) => make('').kernelName));
}

/** Registers this project's kernels on a backend, in place of any it had for the same ops. */
export function registerOwnKernels(backendName: string): void {
  for (const make of OWN_KERNELS) registerKernel(make(backendName));
  // tfjs's gradients are global; this one uses the ReluGrad kernel only on backends that have it.
  registerReluGradient();
}
