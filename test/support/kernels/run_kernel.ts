// Shared by the tfjs kernels' tests: seeded host tensors, and running one tfjs kernel on the CPU backend
// and on ours with the same inputs.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { seededRandom } from '../../../src/util/random.js';

/** A tensor's contents, created afresh on each backend. */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

/** Seeded normal-ish values (sum of uniforms) of a shape; `relu` zeroes the negative ones, as after a ReLU. */
export function randomTensor(shape: number[], seed: number, relu = false): HostTensor {
  const random = seededRandom(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) {
    const v = random() + random() + random() - 1.5;
    data[i] = relu && v < 0 ? 0 : v;
  }
  return { shape, data };
}

/** Runs kernel `name` on `backend` with inputs made from host data and returns its output's values. */
export function runKernelOn(backend: string, name: string, inputs: Record<string, HostTensor>, attrs: object): Float32Array {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const made: Record<string, tf.Tensor> = {};
    for (const [key, t] of Object.entries(inputs)) made[key] = tf.tensor(t.data, t.shape);
    const out = tf.engine().runKernel(name, made, attrs as tf.NamedAttrMap) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

/** The output shape tfjs gives conv2d of these shapes, computed on the CPU backend. */
export function conv2dOutShape(xShape: number[], filterShape: number[], strides: [number, number], pad: unknown): number[] {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad as 'valid',
    undefined,
    false,
    'channelsLast',
  );
  return info.outShape;
}
