// What a benchmarked training op is, and the compute-bound ones: the matmuls of Dense layers and the
// convolutions, as tfjs ops on whichever backend is current, so one list times our kernels and the stock ones.
import * as tf from '@tensorflow/tfjs-core';
import type { ConvLayer } from '../../test/support/kernels/network_shapes.js';

/** Tensors for one op at one batch size, and the call that runs it once. */
export interface PreparedOp {
  /** Runs the op once, synchronously (WASM kernels finish before they return), and frees its output. */
  run(): void;
  /** Frees the inputs. */
  dispose(): void;
}

/** The work of one call at one batch size. */
export interface OpSize {
  /** The shape as printed in the table. */
  shape: string;
  /** GFLOP for compute-bound ops (a multiply-add counts 2), GB moved for memory-bound ones. */
  work: number;
  unit: 'GFLOP' | 'GB';
}

/** One of the two networks. */
export type Network = 'fc' | 'cnn';

/** One benchmarked training op. */
export interface TrainingOp {
  network: Network;
  /** e.g. `fc1 3136x700` or `conv2 16->32`. */
  layer: string;
  /** e.g. `dW = xᵀ·dy`. */
  op: string;
  /** A tfjs kernel the op cannot run without, to tell "the backend has none" from a failure. */
  kernel?: string;
  /** Calls per training step at batch 128 (0: timed for comparison, but tfjs does not run it in training). */
  perStep: number;
  /** Whether the GFLOP count is a direct convolution's while our kernel does fewer multiplies (Winograd). */
  effective: boolean;
  /** Whether its batch can be cut to a slice of images when a slow kernel makes the full batch too long. */
  sliceable: boolean;
  /** The work of one call on `batch` samples. */
  size(batch: number): OpSize;
  /** Allocates operands for `batch` samples on the current backend. */
  prepare(batch: number): PreparedOp;
}

/** A unique key for an op: network, layer and op. */
export function opId(op: TrainingOp): string {
  return `${op.network}|${op.layer}|${op.op}`;
}

/** Seeded values in [-0.5, 0.5): never all zeros, half negative, so ReLU-like kernels take both branches. */
export function values(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -0.5, 0.5, 'float32', seed);
}

type MatmulDims = (batch: number) => [m: number, k: number, n: number];

function matmulOp(
  network: Network,
  layer: string,
  op: string,
  perStep: number,
  dims: MatmulDims,
  tA: boolean,
  tB: boolean,
  fused?: 'linear' | 'relu',
): TrainingOp {
  return {
    network,
    layer,
    op,
    kernel: fused ? '_FusedMatMul' : 'BatchMatMul',
    perStep,
    effective: false,
    sliceable: false,
    size(batch) {
      const [m, k, n] = dims(batch);
      return { shape: `${m}x${k}x${n}`, work: (2 * m * k * n) / 1e9, unit: 'GFLOP' };
    },
    prepare(batch) {
      const [m, k, n] = dims(batch);
      const a = values(tA ? [k, m] : [m, k], 1);
      const b = values(tB ? [n, k] : [k, n], 2);
      const bias = values([n], 3);
      const multiply = fused === undefined ? () => tf.matMul(a, b, tA, tB) : () => tf.fused.matMul({ a, b, bias, activation: fused });
      return { run: () => multiply().dispose(), dispose: () => tf.dispose([a, b, bias]) };
    },
  };
}

/**
 * The three GEMMs of each Dense layer (M x K x N). Every forward pass is one _FusedMatMul with the bias,
 * and the ReLU of ReLU layers (src/models/fused_dense.ts; the softmax layer's activation runs apart).
 * `firstDx` says whether a step computes the first layer's input gradient.
 */
export function denseGemms(network: Network, names: readonly string[], layers: ReadonlyArray<readonly [number, number]>, firstDx: boolean): TrainingOp[] {
  return layers.flatMap(([fanIn, fanOut], i): TrainingOp[] => {
    const layer = `${names[i]} ${fanIn}x${fanOut}`;
    const last = i === layers.length - 1;
    return [
      matmulOp(network, layer, last ? 'fwd x·W+b (fused)' : 'fwd relu(x·W+b) (fused)', 1, (b) => [b, fanIn, fanOut], false, false, last ? 'linear' : 'relu'),
      matmulOp(network, layer, 'dW = xᵀ·dy', 1, (b) => [fanIn, b, fanOut], true, false),
      matmulOp(network, layer, 'dx = dy·Wᵀ', i > 0 || firstDx ? 1 : 0, (b) => [b, fanOut, fanIn], false, true),
    ];
  });
}

type ConvRun = (x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D, bias: tf.Tensor1D) => tf.Tensor;

function convOp(index: number, [side, cin, cout]: ConvLayer, op: string, kernel: string, call: ConvRun, perStep = 1): TrainingOp {
  const out = side - 2;
  return {
    network: 'cnn',
    layer: `conv${index + 1} ${cin}->${cout}`,
    op,
    kernel,
    perStep,
    sliceable: true,
    // src/kernels/conv/winograd.ts, winograd_filter_grad.ts: Winograd for 3x3 stride-1 layers with channels in multiples of 4.
    effective: cin % 4 === 0 && cout % 4 === 0,
    size(batch) {
      return { shape: `${batch}x${side}x${side}x${cin} * 3x3x${cin}x${cout}`, work: (2 * batch * out * out * cout * 9 * cin) / 1e9, unit: 'GFLOP' };
    },
    prepare(batch) {
      const x = values([batch, side, side, cin], 1) as tf.Tensor4D;
      const w = values([3, 3, cin, cout], 2) as tf.Tensor4D;
      const dy = values([batch, out, out, cout], 3) as tf.Tensor4D;
      const bias = values([cout], 4) as tf.Tensor1D;
      return { run: () => call(x, w, dy, bias).dispose(), dispose: () => tf.dispose([x, w, dy, bias]) };
    },
  };
}

/** The raw gradient kernels, as tfjs's conv2d gradient calls them. */
function convGrads(): { input: ConvRun; filter: ConvRun } {
  const attrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined };
  const kernel = (name: string, inputs: tf.NamedTensorMap, extra: object): tf.Tensor =>
    tf.engine().runKernel(name, inputs, { ...attrs, ...extra } as unknown as tf.NamedAttrMap) as tf.Tensor;
  return {
    input: (x, w, dy) => kernel('Conv2DBackpropInput', { dy, filter: w }, { inputShape: x.shape }),
    filter: (x, w, dy) => kernel('Conv2DBackpropFilter', { x, dy }, { filterShape: w.shape }),
  };
}

/**
 * Forward, input gradient and filter gradient of each Conv2D layer. Keras Conv2D layers run the fused op
 * (bias, linear activation), also under the gradient tape; tfjs computes every layer's input gradient,
 * the first one's included (profiled: four Conv2DBackpropInput calls per step).
 */
export function convPasses(layers: readonly ConvLayer[]): TrainingOp[] {
  const grads = convGrads();
  return layers.flatMap((layer, i): TrainingOp[] => [
    // Training fuses each convolution with the ReLU layer after it (src/models/training_forward.ts).
    convOp(i, layer, 'fwd relu(conv+bias)', 'FusedConv2D', (x, w, _dy, bias) =>
      tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'valid', bias, activation: 'relu' }),
    ),
    // Nothing needs the first layer's input gradient, and the step skips it.
    convOp(i, layer, 'dx (BackpropInput)', 'Conv2DBackpropInput', grads.input, i === 0 ? 0 : 1),
    convOp(i, layer, 'dW (BackpropFilter)', 'Conv2DBackpropFilter', grads.filter),
  ]);
}
