// The memory-bound ops of a training step (ReLU and its gradient, pooling, dropout, bias add and gradient,
// RMSprop), each through the path training takes on the current backend: our fused kernels where the backend
// has them, tfjs's op-by-op fallbacks on stock tfjs-wasm. Their work is the bytes of every input read once
// and every output written once.
import * as tf from '@tensorflow/tfjs-core';
// For its side effect, as in training: it registers tfjs's gradients (ReLU's among them) on every backend.
import '@tensorflow/tfjs-layers';
import { dropoutKeys, dropoutMultipliers } from '../../src/kernels/ops/dropout_mask.js';
import { reluGradAndBiasSum } from '../../src/kernels/ops/relu_grad_bias_sum.js';
import { STATELESS_DROPOUT } from '../../src/kernels/ops/stateless_dropout.js';
import { maxPoolReluGrad as maxPoolReluGradOf } from '../../src/models/max_pool_of_relu.js';
import { statelessDropout } from '../../src/models/stateless_dropout.js';
import { rmsprop } from '../../src/train/rmsprop.js';
import { type Network, type PreparedOp, type TrainingOp, values } from './training_ops.js';

/** Where a memory-bound op sits, how often a step runs it, and its per-sample shape (batch prepended). */
export interface Site {
  network: Network;
  layer: string;
  perStep: number;
  /** Shape without the batch dimension (a variable's whole shape for RMSprop). */
  shape: readonly number[];
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** An op over arrays of the site's shape: `arrays` of them pass through memory per call. */
function memoryOp(
  site: Site,
  op: string,
  arrays: number,
  prepare: (shape: number[]) => PreparedOp,
  opts: { kernel?: string; batched?: boolean } = {},
): TrainingOp {
  const full = (batch: number): number[] => (opts.batched === false ? [...site.shape] : [batch, ...site.shape]);
  return {
    network: site.network,
    layer: site.layer,
    op,
    perStep: site.perStep,
    effective: false,
    sliceable: false,
    ...(opts.kernel === undefined ? {} : { kernel: opts.kernel }),
    size: (batch) => ({ shape: `[${full(batch).join(',')}]`, work: (arrays * 4 * size(full(batch))) / 1e9, unit: 'GB' }),
    prepare: (batch) => prepare(full(batch)),
  };
}

/** Runs `call` on fresh seeded inputs of `shape` and frees its output each time. */
function unary(shape: number[], count: number, call: (inputs: tf.Tensor[]) => tf.Tensor): PreparedOp {
  const inputs = Array.from({ length: count }, (_, i) => values(shape, 11 + i));
  return { run: () => call(inputs).dispose(), dispose: () => tf.dispose(inputs) };
}

/** Forward ReLU: x read, y written. */
export function relu(site: Site): TrainingOp {
  return memoryOp(site, 'Relu', 2, (shape) => unary(shape, 1, ([x]) => tf.relu(x!)));
}

/**
 * ReLU's gradient and the bias gradient as the fused layers' gradients take them: one pass on our backend
 * (dy and y read, dz written), ReluGrad's ops and a Sum elsewhere.
 */
export function reluGradBiasSum(site: Site): TrainingOp {
  return memoryOp(site, 'ReluGrad + bias Sum', 3, (shape) =>
    unary(shape, 2, ([dy, y]) => {
      const [dz, db] = reluGradAndBiasSum(dy!, y!);
      db.dispose();
      return dz;
    }),
  );
}

/** Bias added to a Dense layer's product (tfjs's Add with a broadcast row). */
export function biasAdd(site: Site): TrainingOp {
  const channels = site.shape[site.shape.length - 1]!;
  return memoryOp(site, 'bias Add', 2, (shape) => {
    const [x, bias] = [values(shape, 21), values([channels], 22)];
    return { run: () => tf.add(x, bias).dispose(), dispose: () => tf.dispose([x, bias]) };
  });
}

/** The bias gradient: dy summed over every axis but the channels. */
export function biasGradSum(site: Site): TrainingOp {
  return memoryOp(site, 'bias grad Sum', 1, (shape) =>
    unary(shape, 1, ([dy]) =>
      tf.sum(
        dy!,
        shape.slice(0, -1).map((_, i) => i),
      ),
    ),
  );
}

/** The pooled output's size as a share of the input's, for an f x f window with stride f. */
function pooledShare(site: Site, f: number): number {
  const side = site.shape[0]!;
  return Math.floor(side / f) ** 2 / side ** 2;
}

/** Max pooling with an f x f window and stride f; `site.shape` is its input. x read, the pooled output written. */
export function maxPool(site: Site, f: number): TrainingOp {
  return memoryOp(site, `MaxPool ${f}x${f}`, 1 + pooledShare(site, f), (shape) => unary(shape, 1, ([x]) => tf.maxPool(x as tf.Tensor4D, f, f, 'valid')), {
    kernel: 'MaxPool',
  });
}

/**
 * The gradient of max pooling after a ReLU, with respect to the ReLU's input, as training takes it
 * (max_pool_of_relu.ts): dy and the input read, dz written (the pooled output is an input too, unread by
 * our kernel). One kernel on our backend, MaxPoolGrad then ReLU's gradient elsewhere.
 */
export function maxPoolReluGrad(site: Site, f: number): TrainingOp {
  return memoryOp(site, `MaxPoolGrad ${f}x${f} + ReluGrad`, 2 + pooledShare(site, f), (shape) => {
    const input = tf.relu(values(shape, 31)) as tf.Tensor4D;
    // The real pooled output, so that the kernel finds each window's maximum where training would.
    const output = tf.maxPool(input, f, f, 'valid');
    const dy = values(output.shape, 32) as tf.Tensor4D;
    const attrs = { filterSize: [f, f], strides: [f, f], pad: 'valid' };
    return { run: () => maxPoolReluGradOf(dy, input, output, attrs).dispose(), dispose: () => tf.dispose([input, output, dy]) };
  });
}

let dropoutCall = 0;

/** Seeded dropout's forward pass, the path training takes on the current backend (mask built in JS on stock). */
export function dropoutForward(site: Site, rate: number): TrainingOp {
  return memoryOp(site, `Dropout ${rate} fwd`, 2, (shape) => unary(shape, 1, ([x]) => statelessDropout(x!, rate, 1, dropoutCall++)));
}

/** Seeded dropout's gradient: our kernel reruns the mask on dy; elsewhere dy times the mask saved by the forward pass. */
export function dropoutBackward(site: Site, rate: number): TrainingOp {
  return memoryOp(site, `Dropout ${rate} bwd`, 2, (shape) => {
    const dy = values(shape, 41);
    if (tf.getKernel(STATELESS_DROPOUT, tf.getBackend()) !== undefined) {
      return { run: () => statelessDropout(dy, rate, 1, dropoutCall++).dispose(), dispose: () => dy.dispose() };
    }
    const mask = tf.tensor(dropoutMultipliers(size(shape), rate, dropoutKeys(1, 0)), shape, 'float32');
    return { run: () => tf.mul(dy, mask).dispose(), dispose: () => tf.dispose([dy, mask]) };
  });
}

let variableCount = 0;

/** One variable's RMSprop update through the optimizer training uses: x, ms, g read, x and ms written. */
export function rmspropUpdate(site: Site, variable: 'kernel' | 'bias'): TrainingOp {
  return memoryOp(
    site,
    `RMSprop ${variable}`,
    5,
    (shape) => {
      const name = `bench_rmsprop_${variableCount++}`;
      const weights = tf.variable(values(shape, 51), true, name);
      const gradient = values(shape, 52);
      const optimizer = rmsprop(0.001);
      return {
        run: () => optimizer.applyGradients({ [name]: gradient }),
        dispose: () => {
          optimizer.dispose();
          tf.dispose([weights, gradient]);
        },
      };
    },
    { batched: false },
  );
}
