// Shared by the tfjs kernels' tests: seeded host tensors, and running one tfjs kernel on the CPU backend
// and on ours with the same inputs.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { seededRandom } from '../../../src/util/random.js';
import { withSentinelOutputs } from './sentinel_heap.js';

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

/**
 * Runs kernel `name` on `backend` with inputs made from host data and returns its output's values. On a
 * WASM backend every output the kernel allocates starts filled with a NaN sentinel, so an element it
 * never writes cannot pass for a zero the heap happened to hold.
 */
export function runKernelOn(backend: string, name: string, inputs: Record<string, HostTensor>, attrs: object): Float32Array {
  return runOpOn(backend, () => {
    const made: Record<string, tf.Tensor> = {};
    for (const [key, t] of Object.entries(inputs)) made[key] = tf.tensor(t.data, t.shape);
    return tf.engine().runKernel(name, made, attrs as tf.NamedAttrMap) as tf.Tensor;
  });
}

/** Runs tfjs ops on `backend`, fresh outputs sentinel-filled as in `runKernelOn`, and returns the result's values as float32. */
export function runOpOn(backend: string, op: () => tf.Tensor): Float32Array {
  tf.setBackend(backend);
  return tf.tidy(() => Float32Array.from(withSentinelOutputs(backend, op).dataSync()));
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

/** An NHWC tensor's data laid out as NCHW. */
export function toNchw(t: HostTensor): HostTensor {
  const [b, h, w, c] = t.shape as [number, number, number, number];
  const data = new Float32Array(t.data.length);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) data[((n * c + ch) * h + y) * w + x] = t.data[((n * h + y) * w + x) * c + ch]!;
  return { shape: [b, c, h, w], data };
}
