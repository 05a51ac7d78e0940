import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { runStockKernel } from '../call/stock_kernel.js';

/** The backend internals Identity needs: tensor data is reference-counted, so it can be shared. */
interface RefCounted {
  incRef(dataId: TensorInfo['dataId']): void;
}

/**
 * Identity as tfjs's CPU backend does it: the output shares the input's data. tfjs's engine clones every
 * tensor it saves for the backward pass through this kernel, and the stock WASM kernel copies each one.
 * Sharing is safe because tfjs never writes into a tensor's data after creating it (Variable.assign swaps
 * the data instead).
 */
export function identityConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Identity',
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype === 'string') return runStockKernel('Identity', args);
      (args.backend as unknown as RefCounted).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
}
