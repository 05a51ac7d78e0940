import type { CastAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { runStockKernel } from '../call/stock_kernel.js';
import { identityConfig } from './identity.js';

/**
 * Cast to the tensor's own dtype shares the data, as Identity does (tfjs's gradients of Relu, Multiply and
 * RealDiv cast float32 masks to float32); real conversions run tfjs's own kernel.
 */
export function castConfig(backendName: string): KernelConfig {
  const identity = identityConfig(backendName);
  return {
    kernelName: 'Cast',
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const { dtype } = args.attrs as unknown as CastAttrs;
      if (dtype === x.dtype && dtype !== 'string') return identity.kernelFunc(args);
      return runStockKernel('Cast', args);
    },
  };
}
