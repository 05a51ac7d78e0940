// The matmuls and convolutions of one training step of each network, as tfjs ops on whichever backend is
// current, so the same list times our kernels and the stock ones: the FC net's forward x·W, dW = xᵀ·dy and
// dx = dy·Wᵀ per Dense layer, and the CNN's forward, input gradient and filter gradient per Conv2D layer.
import * as tf from '@tensorflow/tfjs-core';

/** Tensors for one op at one batch size, and the call that runs it once. */
export interface PreparedOp {
  /** Runs the op once, synchronously (WASM kernels finish before they return), and frees its output. */
  run(): void;
  /** Frees the inputs. */
  dispose(): void;
}

/** The work of one call at one batch size. */
export interface OpSize {
  /** Floating-point operations, in GFLOP (a multiply-add counts 2). */
  gflop: number;
  /** The shape as printed in the table. */
  shape: string;
}

/** One benchmarked training op. */
export interface TrainingOp {
  /** e.g. `fc1 3136x700` or `conv2 16->32`. */
  layer: string;
  /** e.g. `dW = xᵀ·dy`. */
  op: string;
  /** The tfjs kernel it reaches, to tell whether a backend has it at all. */
  kernel: string;
  /** Whether a training step runs it (tfjs skips gradients towards the network's input). */
  inTraining: boolean;
  /** Whether its batch can be cut to a slice of images when a slow kernel makes the full batch too long. */
  sliceable: boolean;
  /** The work of one call on `batch` samples. */
  size(batch: number): OpSize;
  /** Allocates operands for `batch` samples on the current backend. */
  prepare(batch: number): PreparedOp;
}

/** Dense layers of the FC net: fan-in, fan-out. */
const FC_LAYERS: ReadonlyArray<readonly [number, number]> = [[3136, 700], [700, 700], [700, 500], [500, 500], [500, 36]];

/** Conv2D layers of the CNN (3x3, valid, stride 1): input side, input channels, output channels. */
const CONV_LAYERS: ReadonlyArray<readonly [number, number, number]> = [[56, 1, 16], [54, 16, 32], [26, 32, 64], [12, 64, 128]];

/** Deterministic values; zeros could take faster paths. */
function values(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -0.5, 0.5, 'float32', seed);
}

type MatmulDims = (batch: number) => [m: number, k: number, n: number];

function matmulOp(layer: string, op: string, inTraining: boolean, dims: MatmulDims, tA: boolean, tB: boolean, fused = false): TrainingOp {
  const multiply = fused ? (a: tf.Tensor, b: tf.Tensor) => tf.fused.matMul({ a, b }) : (a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b, tA, tB);
  return {
    layer, op, kernel: fused ? '_FusedMatMul' : 'BatchMatMul', inTraining, sliceable: false,
    size(batch) {
      const [m, k, n] = dims(batch);
      return { gflop: (2 * m * k * n) / 1e9, shape: `${m}x${k}x${n}` };
    },
    prepare(batch) {
      const [m, k, n] = dims(batch);
      const a = values(tA ? [k, m] : [m, k], 1);
      const b = values(tB ? [n, k] : [k, n], 2);
      return { run: () => multiply(a, b).dispose(), dispose: () => tf.dispose([a, b]) };
    },
  };
}

function fcOps(): TrainingOp[] {
  return FC_LAYERS.flatMap(([fanIn, fanOut], i): TrainingOp[] => {
    const layer = `fc${i + 1} ${fanIn}x${fanOut}`;
    // Under the gradient tape tfjs fuses only linear activations: the ReLU layers multiply with BatchMatMul,
    // the softmax layer (its activation applied apart) with _FusedMatMul.
    const last = i === FC_LAYERS.length - 1;
    return [
      matmulOp(layer, last ? 'fwd x·W (fused)' : 'fwd x·W', true, (b) => [b, fanIn, fanOut], false, false, last),
      matmulOp(layer, 'dW = xᵀ·dy', true, (b) => [fanIn, b, fanOut], true, false),
      matmulOp(layer, 'dx = dy·Wᵀ', i > 0, (b) => [b, fanOut, fanIn], false, true),
    ];
  });
}

type ConvRun = (x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D, bias: tf.Tensor1D) => tf.Tensor;

function convOp(index: number, op: string, kernel: string, inTraining: boolean, call: ConvRun): TrainingOp {
  const [side, cin, cout] = CONV_LAYERS[index]!;
  const out = side - 2;
  return {
    layer: `conv${index + 1} ${cin}->${cout}`, op, kernel, inTraining, sliceable: true,
    size(batch) {
      return { gflop: (2 * batch * out * out * cout * 9 * cin) / 1e9, shape: `${batch}x${side}x${side}x${cin} * 3x3x${cin}x${cout}` };
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

function convOps(): TrainingOp[] {
  const grads = convGrads();
  return CONV_LAYERS.flatMap((_, i): TrainingOp[] => [
    convOp(i, 'fwd conv2d', 'Conv2D', false, (x, w) => tf.conv2d(x, w, 1, 'valid')),
    // Keras Conv2D layers run the fused op (bias, linear activation), also under the gradient tape.
    convOp(i, 'fwd conv+bias', 'FusedConv2D', true, (x, w, _dy, bias) => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'valid', bias })),
    convOp(i, 'dx (BackpropInput)', 'Conv2DBackpropInput', i > 0, grads.input),
    convOp(i, 'dW (BackpropFilter)', 'Conv2DBackpropFilter', true, grads.filter),
  ]);
}

/** Every benchmarked op: the FC net's matmuls, then the CNN's convolutions. */
export const TRAINING_OPS: readonly TrainingOp[] = [...fcOps(), ...convOps()];
