import { type KernelConfig, registerKernel } from '@tensorflow/tfjs-core';
import { addConfig } from './add.js';
import { applyAdamConfig } from './apply_adam.js';
import { applyMomentumConfig } from './apply_momentum.js';
import { applyRMSPropConfig } from './apply_rms_prop.js';
import { avgPoolConfig } from './avg_pool.js';
import { avgPoolGradConfig } from './avg_pool_grad.js';
import { batchMatMulConfig } from './batch_mat_mul.js';
import { castConfig } from './cast.js';
import { conv2DConfig } from './conv2d.js';
import { conv2dBackpropFilterConfig } from './conv2d_backprop_filter.js';
import { conv2DBackpropInputConfig } from './conv2d_backprop_input.js';
import { eluConfig } from './elu.js';
import { eluGradConfig } from './elu_grad.js';
import { fusedBatchNormConfig } from './fused_batch_norm.js';
import { fusedConv2DConfig } from './fused_conv2d.js';
import { fusedMatMulConfig } from './fused_mat_mul.js';
import { identityConfig } from './identity.js';
import { maxPoolConfig } from './max_pool.js';
import { maxPoolGradConfig, maxPoolReluGradConfig } from './max_pool_grad.js';
import { meanConfig } from './mean.js';
import { multiplyConfig } from './multiply.js';
import { realDivConfig } from './real_div.js';
import { reluConfig } from './relu.js';
import { reluGradConfig } from './relu_grad.js';
import { reluGradBiasSumConfig } from './relu_grad_bias_sum.js';
import { sigmoidConfig } from './sigmoid.js';
import { sqrtConfig } from './sqrt.js';
import { squareConfig } from './square.js';
import { statelessDropoutConfig } from './stateless_dropout.js';
import { stepConfig } from './step.js';
import { subConfig } from './sub.js';
import { sumConfig } from './sum.js';
import { tanhConfig } from './tanh.js';
import { tileConfig } from './tile.js';
import { unitScaleBytesConfig } from './unit_scale_bytes.js';

/** This project's training kernels, alphabetised by the tfjs op each implements. */
const OWN_KERNELS: ReadonlyArray<(backendName: string) => KernelConfig> = [
  addConfig,
  applyAdamConfig,
  applyMomentumConfig,
  applyRMSPropConfig,
  avgPoolConfig,
  avgPoolGradConfig,
  batchMatMulConfig,
  castConfig,
  conv2DConfig,
  conv2dBackpropFilterConfig,
  conv2DBackpropInputConfig,
  eluConfig,
  eluGradConfig,
  fusedBatchNormConfig,
  fusedConv2DConfig,
  fusedMatMulConfig,
  identityConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  maxPoolReluGradConfig,
  meanConfig,
  multiplyConfig,
  realDivConfig,
  reluConfig,
  reluGradConfig,
  reluGradBiasSumConfig,
  sigmoidConfig,
  sqrtConfig,
  squareConfig,
  statelessDropoutConfig,
  stepConfig,
  subConfig,
  sumConfig,
  tanhConfig,
  tileConfig,
  unitScaleBytesConfig,
];

/** Names of the tfjs ops this project implements itself. */
export function ownKernelNames(): Set<string> {
  return new Set(OWN_KERNELS.map((make) => make('').kernelName));
}

/** Registers this project's kernels on a backend, in place of any it had for the same ops. */
export function registerOwnKernels(backendName: string): void {
  for (const make of OWN_KERNELS) registerKernel(make(backendName));
}
