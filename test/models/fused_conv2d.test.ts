// The fused Conv2D must compute what tfjs-layers' Conv2D (and Conv2D + Activation('relu')) computes,
// forward and backward, on every backend we train on; serialise as plain Keras Conv2D; and skip the
// input gradient of a network's first convolution.

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openCpu } from '../../src/backends/cpu.js';
import type { ActiveBackend } from '../../src/backends/types.js';
import { openWasm } from '../../src/backends/wasm.js';
import { conv2d, FusedConv2D } from '../../src/models/fused_conv2d.js';
import { forwardForTraining } from '../../src/models/training_forward.js';
import { expectClose } from '../support/expect_close.js';
import { kernelsRun, signedRandomTensor as randomTensor } from '../support/tfjs_probes.js';

describe.each([
  ['cpu', () => openCpu()],
  ['wasm', () => openWasm({ threads: 2 })],
] as const)('on %s', (_name, open) => {
  let backend: ActiveBackend;
  beforeAll(async () => {
    backend = await open();
  });
  afterAll(async () => {
    await backend.close();
  });

  // [batch, size, channels in, filters, kernel size, padding, relu after, max pool after (0: none)]
  test.each([
    [1, 6, 1, 3, 3, 'valid', false, 0],
    [3, 11, 5, 7, 3, 'valid', true, 0],
    [2, 9, 4, 6, 2, 'same', true, 0],
    [4, 14, 16, 32, 3, 'valid', true, 0],
    [2, 13, 6, 8, 3, 'valid', true, 2],
    [2, 9, 4, 6, 2, 'same', true, 2],
    [3, 12, 16, 32, 3, 'valid', true, 3],
  ] as const)(
    'batch %i, %i square, %i channels -> %i filters of %i, %s, relu layer after: %s, max pool %i; values and gradients equal tfjs',
    (n, size, cin, filters, k, padding, relu, pool) => {
      const x = randomTensor([n, size, size, cin], size + cin);
      const make = (fused: boolean): tfl.layers.Layer[] => {
        const args = { filters, kernelSize: k, padding, inputShape: [size, size, cin] };
        const conv = fused ? conv2d(args) : tfl.layers.conv2d(args);
        conv.build([null, size, size, cin]);
        conv.setWeights([randomTensor([k, k, cin, filters], 3), randomTensor([filters], 4)]);
        const after = pool > 0 ? [tfl.layers.maxPooling2d({ poolSize: pool })] : [];
        return relu ? [conv, tfl.layers.activation({ activation: 'relu' }), ...after] : [conv];
      };
      const plain = make(false);
      const fused = make(true);
      const forwardPlain = (input: tf.Tensor) => plain.reduce((y, layer) => layer.apply(y, { training: true }) as tf.Tensor, input);
      const forwardFused = (input: tf.Tensor) => forwardForTraining(fused, input);
      const upstream = randomTensor(forwardPlain(x).shape, 9);
      const grads = (layers: tfl.layers.Layer[], forward: (input: tf.Tensor) => tf.Tensor) => {
        const [kernel, bias] = layers[0]!.trainableWeights.map((w) => w.read());
        return tf.grads((input: tf.Tensor, _k: tf.Tensor, _b: tf.Tensor) => tf.sum(tf.mul(upstream, forward(input))))([x, kernel!, bias!]);
      };
      const want = grads(plain, forwardPlain);
      let got: tf.Tensor[] = [];
      const kernels = kernelsRun(() => (got = grads(fused, forwardFused)));
      expect(kernels).toContain('AlnumConvBiasActivation');
      if (relu) expect(kernels, 'the ReLU ran inside the convolution').not.toContain('Relu');
      if (pool > 0) {
        expect(kernels).toContain('AlnumMaxPoolOfRelu');
        expect(kernels, "the ReLU's gradient ran inside the pooling's").not.toContain('ReluGrad');
        // Bit for bit what the convolution with its ReLU, then the pooling layer as it is, give.
        const poolAlone = (input: tf.Tensor) => fused[2]!.apply((fused[0] as FusedConv2D).applyWithRelu(input as tf.Tensor4D), { training: true }) as tf.Tensor;
        grads(fused, poolAlone).forEach((w, i) => {
          expect(Array.from(got[i]!.dataSync()), `gradient ${i}`).toEqual(Array.from(w.dataSync()));
        });
      }
      expectClose(forwardFused(x).dataSync(), forwardPlain(x).dataSync(), 1e-5);
      want.forEach((w, i) => {
        expectClose(got[i]!.dataSync(), w.dataSync(), 1e-5);
      });
    },
  );

  test('no input gradient is computed for a first convolution', () => {
    const layer = conv2d({ filters: 8, kernelSize: 3, inputShape: [12, 12, 1] });
    layer.build([null, 12, 12, 1]);
    const x = randomTensor([2, 12, 12, 1], 5);
    const kernels = kernelsRun(() => {
      const { grads } = tf.variableGrads(
        () => tf.sum(layer.apply(x, { training: true }) as tf.Tensor),
        layer.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      tf.dispose(Object.values(grads));
    });
    expect(kernels).toContain('Conv2DBackpropFilter');
    expect(kernels).not.toContain('Conv2DBackpropInput');
  });
});

test("serialises as Keras Conv2D and loads as tfjs-layers' Conv2D, with nothing registered in tfjs", async () => {
  const model = tfl.sequential({ layers: [conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] })] });
  const json = model.toJSON(null, false) as unknown as { config: { layers: { class_name: string }[] } };
  expect(json.config.layers.map((l) => l.class_name)).toEqual(['Conv2D']);
  const plain = await tfl.models.modelFromJSON({ modelTopology: model.toJSON(null, false) } as tfl.ModelAndWeightsConfig);
  expect(plain.layers[0]).not.toBeInstanceOf(FusedConv2D);
});
