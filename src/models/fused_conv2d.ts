// Keras's Conv2D layer, run through conv_bias_activation.ts so that training differentiates it lazily,
// and able to take the ReLU of an Activation layer right after it into the same kernel while training
// (training_forward.ts). It is tfjs-layers' own Conv2D in every other respect and serialises as
// `Conv2D`, loading as tfjs-layers' Conv2D unless the loader asks for this class (layer_classes.ts).
// Importing this module registers nothing with tfjs.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { convBiasActivation, convBiasActivationRuns } from './conv_bias_activation.js';

/** What tfl.layers.conv2d takes. */
export type Conv2DArgs = Parameters<typeof tfl.layers.conv2d>[0];

/** The parts of tfjs-layers' Conv2D that the fused call reads (its class is not exported by name). */
interface ConvInternals {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string };
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number[];
}

/** tfjs-layers' Conv2D class, reached through a named instance (see fused_dense.ts) since the package exports only the factory. */
const Conv2D = tfl.layers.conv2d({ filters: 1, kernelSize: 1, name: 'alnum_class_probe' }).constructor as new (args: Conv2DArgs) => tfl.layers.Layer;

/** Conv2D whose NHWC, undilated, biased, linear or ReLU form runs as one kernel with a lazy gradient. */
export class FusedConv2D extends Conv2D {
  static className = 'Conv2D';

  /** Whether this layer can run fused on `input`, with its own activation or with a ReLU after it. */
  fusable(input: tf.Tensor): boolean {
    const own = this as unknown as ConvInternals;
    return (
      input.rank === 4 &&
      own.bias !== null &&
      own.dataFormat === 'channelsLast' &&
      own.dilationRate.every((d) => d === 1) &&
      (own.padding === 'valid' || own.padding === 'same') &&
      convBiasActivationRuns()
    );
  }

  /**
   * relu(conv(input) + bias) in one kernel, for a linear layer followed by Activation('relu'). With
   * `reluGradFromConsumer`, the output must go only to `maxPoolOfRelu`, whose gradient applies ReLU's.
   */
  applyWithRelu(input: tf.Tensor4D, reluGradFromConsumer = false): tf.Tensor4D {
    if (this.activationName() !== 'linear' || !this.fusable(input)) throw new Error(`${this.name} cannot take a following ReLU into its kernel`);
    return tf.tidy(() => this.run(input, 'relu', reluGradFromConsumer));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) && inputs.length === 1 ? inputs[0]! : inputs;
    const activation = this.activationName();
    if (Array.isArray(input) || !this.fusable(input) || (activation !== 'linear' && activation !== 'relu')) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      return this.run(input as tf.Tensor4D, activation);
    });
  }

  private activationName(): string {
    return (this as unknown as ConvInternals).activation.getClassName();
  }

  private run(input: tf.Tensor4D, activation: 'linear' | 'relu', reluGradFromConsumer = false): tf.Tensor4D {
    const own = this as unknown as ConvInternals;
    return convBiasActivation(input, own.kernel.read() as tf.Tensor4D, own.bias!.read() as tf.Tensor1D, {
      strides: [own.strides[0]!, own.strides[1]!],
      pad: own.padding as 'valid' | 'same',
      activation,
      ...(reluGradFromConsumer ? { reluGradFromConsumer } : {}),
    });
  }
}

/** A Conv2D layer as tfl.layers.conv2d makes it, fused where it can be. */
export function conv2d(args: Conv2DArgs): FusedConv2D {
  return new FusedConv2D(args);
}
