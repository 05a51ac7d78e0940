import * as tf from '@tensorflow/tfjs-core';
import { dropoutKeepBits, dropoutKeys, keepScale } from '../kernels/ops/dropout_mask.js';
import { STATELESS_DROPOUT, type StatelessDropoutAttrs } from '../kernels/ops/stateless_dropout.js';

/**
 * Inverted dropout of `x` whose mask is a function of (seed, counter, element index) only: kept elements
 * are scaled by 1 / (1 - rate), dropped ones multiplied by 0, and every backend drops the same elements.
 * Where the backend has the StatelessDropout kernel the mask is never materialised (the gradient reruns
 * the kernel on dy); elsewhere it is built in JavaScript, uploaded as a byte per element (a quarter of a
 * float32 mask: 4.3 MB instead of 17 MB a CNN step, for a backend on a device) and turned into the
 * multipliers there. A `noiseShape` mask (Keras's
 * noise_shape) is built at that shape and broadcast.
 */
export function statelessDropout(x: tf.Tensor, rate: number, seed: number, counter: number, noiseShape?: number[]): tf.Tensor {
  if (!(rate > 0 && rate < 1)) throw new RangeError(`dropout rate must be in (0, 1), got ${rate}`);
  const attrs: StatelessDropoutAttrs = { rate, seed, counter };
  const native = x.dtype === 'float32' && tf.getKernel(STATELESS_DROPOUT, tf.getBackend()) !== undefined;
  if (native && noiseShape === undefined) {
    const apply = (t: tf.Tensor): tf.Tensor => tf.engine().runKernel(STATELESS_DROPOUT, { x: t }, attrs) as tf.Tensor;
    const op = tf.customGrad((input) => ({ value: apply(input as tf.Tensor), gradFunc: (dy: tf.Tensor) => apply(dy) }));
    return op(x);
  }
  const shape = noiseShape ?? x.shape;
  // dx = dy * mask whatever the mask's shape, since it broadcasts to x's; no reduction, no registered gradients.
  const op = tf.customGrad((input, save) => {
    const bits = tf.tensor(dropoutKeepBits(tf.util.sizeFromShape(shape), rate, dropoutKeys(seed, counter)), shape, 'bool');
    // 1 * scale and 0 * scale: exactly the multipliers keepScale(rate) and 0.
    const mask = tf.mul(tf.cast(bits, 'float32'), tf.scalar(keepScale(rate)));
    (save as tf.GradSaveFunc)([mask]);
    return { value: tf.mul(input as tf.Tensor, mask), gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(dy, saved!) };
  });
  return op(x);
}
