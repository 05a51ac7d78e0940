import { beforeAll, describe, expect, test } from 'vitest';
import { openWasm } from '../../../src/backends/wasm.js';
import { expectClose } from '../../support/expect_close.js';
import { CONV_CASES } from '../../support/kernels/conv_cases.js';
import { conv2dBackpropFilterReference } from '../../support/kernels/conv2d_backprop_filter_reference.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { conv2dOutShape, randomTensor, runKernelOn } from '../../support/kernels/run_kernel.js';

describe.each(KERNEL_VARIANTS)('Conv2DBackpropFilter on our WASM backend (%o)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });

  test.each(CONV_CASES)('matches the CPU backend: $name', (c) => {
    const dyShape = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
    const inputs = { x: randomTensor(c.x, 21), dy: randomTensor(dyShape, 22) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
    const pixels = dyShape[0]! * dyShape[1]! * dyShape[2]!;
    expectClose(
      runKernelOn(wasm, 'Conv2DBackpropFilter', inputs, attrs),
      runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs),
      2e-6 * Math.sqrt(pixels) + 1e-6,
    );
  });
});

test('the scalar reference agrees with the CPU backend', async () => {
  await openWasm({ threads: 1 });
  const c = CONV_CASES[3]!;
  const dyShape = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
  const x = randomTensor(c.x, 23);
  const dy = randomTensor(dyShape, 24);
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
  const want = runKernelOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
  const info = (await import('@tensorflow/tfjs-core')).backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad, undefined, false, 'channelsLast');
  const got = conv2dBackpropFilterReference(x.data, dy.data, {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: 1,
    dilationWidth: 1,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  });
  expect(expectClose(got, want, 1e-5)).toBeLessThan(1e-5);
});
