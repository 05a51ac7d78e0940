import { type KernelConfig, type MeanAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { Composition } from '../call/compose.js';
import { kernelContext } from '../call/context.js';
import { runStockKernel } from '../call/stock_kernel.js';

/**
 * Mean of a float32 tensor as this backend's Sum divided by the count (batch statistics of tfjs's batch
 * normalization are means over batch, height and width, which our Sum takes as column sums while the stock
 * Mean first transposes the whole activation); empty tensors and other dtypes run tfjs's own kernel.
 */
export function meanConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Mean',
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as MeanAttrs;
      const axes = util.parseAxisParam(axis, x.shape);
      const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
      if (x.dtype !== 'float32' || axes.length === 0 || util.sizeFromShape(x.shape) === 0) return runStockKernel('Mean', args);
      const steps = new Composition({ backend: args.backend, backendName });
      try {
        const sum = steps.run('Sum', { x }, { axis, keepDims });
        const divisor = kernelContext(args.backend).backend.makeOutput([], 'float32', undefined, new Float32Array([count]));
        steps.keep(divisor);
        return steps.run('RealDiv', { a: sum, b: divisor }, {}, true);
      } finally {
        steps.dispose();
      }
    },
  };
}
