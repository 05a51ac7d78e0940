import { describe, expect, test, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../src/backends/wasm.js';
import { seededRandom } from '../../src/util/random.js';
import { expectClose } from '../support/expect_close.js';

let wasmName = '';
beforeAll(async () => {
  wasmName = (await openWasm({ threads: 1 })).tfjsName;
});

/** Random shapes, including odd sizes, batch 1, strides and padding. */
const cases = Array.from({ length: 12 }, (_, i) => {
  const r = seededRandom(100 + i);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const f = int(1, 4);
  return {
    batch: i === 0 ? 1 : int(1, 5),
    size: int(f, 13),
    inC: int(1, 9),
    outC: int(1, 17),
    filter: f,
    stride: int(1, 2),
    pad: r() < 0.5 ? ('valid' as const) : ('same' as const),
    seed: i,
  };
});

describe('Conv2DBackpropFilter on our WASM backend', () => {
  test.each(cases)('matches the CPU backend: %o', (c) => {
    const filterShape: [number, number, number, number] = [c.filter, c.filter, c.inC, c.outC];
    const x = tf.randomNormal([c.batch, c.size, c.size, c.inC], 0, 1, 'float32', c.seed) as tf.Tensor4D;
    const outShape = tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, c.stride, c.pad).shape;
    const dy = tf.randomNormal(outShape, 0, 1, 'float32', c.seed + 1000) as tf.Tensor4D;
    const run = (backend: string) => {
      tf.setBackend(backend);
      const xb = tf.tensor(x.dataSync(), x.shape) as tf.Tensor4D;
      const dyb = tf.tensor(dy.dataSync(), dy.shape) as tf.Tensor4D;
      const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape };
      return (tf.engine().runKernel('Conv2DBackpropFilter', { x: xb, dy: dyb }, attrs) as tf.Tensor).dataSync();
    };
    const want = run('cpu');
    const got = run(wasmName);
    expectClose(got, want, 1e-5 * Math.sqrt(c.batch * c.size * c.size));
  });
});
