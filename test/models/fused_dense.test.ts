// The fused Dense must compute what tfjs-layers' Dense computes, forward and backward, on every backend we
// train on; serialise as plain Keras Dense; and skip the input gradient nothing asks for.

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openCpu } from '../../src/backends/cpu.js';
import { openStockWasm } from '../../src/backends/tfjs_wasm.js';
import type { ActiveBackend } from '../../src/backends/types.js';
import { openWasm } from '../../src/backends/wasm.js';
import { dense, FusedDense } from '../../src/models/fused_dense.js';
import { expectClose } from '../support/expect_close.js';
import { kernelsRun, signedRandomTensor as randomTensor } from '../support/tfjs_probes.js';

describe.each([
  ['cpu', () => openCpu()],
  ['wasm', () => openWasm({ threads: 2 })],
  // The stock kernel takes rank-3 operands only, so this one runs the reshaping path.
  ['tfjs-wasm', () => openStockWasm()],
] as const)('on %s', (_name, open) => {
  let backend: ActiveBackend;
  beforeAll(async () => {
    backend = await open();
  });
  afterAll(async () => {
    await backend.close();
  });

  test.each([
    [1, 7, 5, 'relu'],
    [33, 70, 13, 'relu'],
    [128, 300, 50, 'relu'],
    [33, 70, 13, 'softmax'],
    [9, 20, 36, 'linear'],
  ] as const)('activation(x·W + b) and its gradients for x [%i, %i] and %i units, %s, equal tfjs Dense', (n, k, units, activation) => {
    const x = randomTensor([n, k], n + k);
    const upstream = randomTensor([n, units], units);
    const plain = tfl.layers.dense({ units, activation, inputShape: [k] });
    const fused = dense({ units, activation, inputShape: [k] });
    plain.build([null, k]);
    fused.build([null, k]);
    const weights = [randomTensor([k, units], 3), randomTensor([units], 4)];
    plain.setWeights(weights);
    fused.setWeights(weights);
    // Gradients of sum(upstream * layer(x)) with respect to x, the kernel and the bias.
    const grads = (layer: tfl.layers.Layer) => {
      const [kernel, bias] = layer.trainableWeights.map((w) => w.read());
      const f = (input: tf.Tensor, _k: tf.Tensor, _b: tf.Tensor) => tf.sum(tf.mul(upstream, layer.apply(input, { training: true }) as tf.Tensor));
      return tf.grads(f)([x, kernel!, bias!]);
    };
    const want = grads(plain);
    const got = grads(fused);
    expectClose((fused.apply(x) as tf.Tensor).dataSync(), (plain.apply(x) as tf.Tensor).dataSync(), 1e-5);
    want.forEach((w, i) => {
      expectClose(got[i]!.dataSync(), w.dataSync(), 1e-5);
    });
    tf.dispose([x, upstream, ...weights, ...want, ...got]);
  });

  test('no input gradient is computed when the input is not being differentiated', () => {
    const layer = dense({ units: 40, activation: 'relu', inputShape: [64] });
    layer.build([null, 64]);
    const x = randomTensor([16, 64], 1);
    const counted = kernelsRun(() => {
      const { grads } = tf.variableGrads(
        () => tf.sum(layer.apply(x, { training: true }) as tf.Tensor),
        layer.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      tf.dispose(Object.values(grads));
    });
    // Forward: one fused kernel. Backward: the kernel gradient is one BatchMatMul; dx would be a second.
    expect(counted.filter((k) => k === 'AlnumDenseBiasActivation')).toHaveLength(1);
    expect(counted.filter((k) => k === 'BatchMatMul')).toHaveLength(1);
    expect(counted).not.toContain('Relu');
    x.dispose();
  });
});

test("serialises as Keras Dense and loads as tfjs-layers' Dense, with nothing registered in tfjs", async () => {
  const model = tfl.sequential({ layers: [dense({ units: 3, activation: 'relu', inputShape: [4] })] });
  const json = model.toJSON(null, false) as unknown as { config: { layers: { class_name: string }[] } };
  expect(json.config.layers.map((l) => l.class_name)).toEqual(['Dense']);
  const plain = await tfl.models.modelFromJSON({ modelTopology: model.toJSON(null, false) } as tfl.ModelAndWeightsConfig);
  expect(plain.layers[0]).not.toBeInstanceOf(FusedDense);
  expect(plain.layers[0]!.getClassName()).toBe('Dense');
});
