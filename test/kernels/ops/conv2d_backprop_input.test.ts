import { beforeAll, describe, test } from 'vitest';
import { openWasm } from '../../../src/backends/wasm.js';
import { expectClose } from '../../support/expect_close.js';
import { CONV_CASES } from '../../support/kernels/conv_cases.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { conv2dOutShape, randomTensor, runKernelOn } from '../../support/kernels/run_kernel.js';

describe.each(KERNEL_VARIANTS)('Conv2DBackpropInput on our WASM backend (%o)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });

  test.each(CONV_CASES)('matches the CPU backend: $name', (c) => {
    const dyShape = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
    const inputs = { dy: randomTensor(dyShape, 11), filter: randomTensor(c.filter, 12) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
    const terms = c.filter[0] * c.filter[1] * c.filter[3];
    expectClose(
      runKernelOn(wasm, 'Conv2DBackpropInput', inputs, attrs),
      runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs),
      2e-6 * Math.sqrt(terms) + 1e-6,
    );
  });
});
