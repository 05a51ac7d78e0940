import { getKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

type KernelArgs = Parameters<KernelFunc>[0];

/**
 * Runs tfjs-backend-wasm's own kernel for `kernelName` on our backend, for the cases our kernel does
 * not cover. Its setup (which binds the C++ entry point to a backend's module) runs first every time,
 * since the stock `wasm` backend may have rebound it to another module in the meantime.
 */
export function runStockKernel(kernelName: string, args: KernelArgs): TensorInfo | TensorInfo[] {
  const stock: KernelConfig | undefined = getKernel(kernelName, 'wasm');
  if (stock === undefined) throw new Error(`tfjs-backend-wasm has no ${kernelName} kernel to fall back on`);
  stock.setupFunc?.(args.backend);
  return stock.kernelFunc(args);
}
