// Keras's Dense layer, trained through one fused kernel with its bias and, for ReLU, its activation
// (dense_bias_activation.ts); other activations (the softmax) run after the kernel as tfjs-layers does.
// It is tfjs-layers' own Dense in every other respect and serialises as `Dense` with the same config,
// so saved models load anywhere, as tfjs-layers' Dense unless the loader asks for this class
// (layer_classes.ts). Importing this module registers nothing with tfjs.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { denseBiasActivation, denseBiasActivationRuns } from './dense_bias_activation.js';

/** What tfl.layers.dense takes. */
export type DenseArgs = Parameters<typeof tfl.layers.dense>[0];

/** The parts of tfjs-layers' Dense that the fused call reads (its class is not exported by name). */
interface DenseInternals {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string };
}

/**
 * tfjs-layers' Dense class, reached through an instance since the package exports only the factory. The
 * instance is named, because an unnamed one would take the next automatic name (`dense_Dense1`) from
 * the program's own first layer.
 */
const Dense = tfl.layers.dense({ units: 1, name: 'alnum_class_probe' }).constructor as new (args: DenseArgs) => tfl.layers.Layer;

/** Dense whose product, bias and ReLU (if any) run as one kernel, forward and while recording gradients. */
export class FusedDense extends Dense {
  static className = 'Dense';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const own = this as unknown as DenseInternals;
    const input = Array.isArray(inputs) && inputs.length === 1 ? inputs[0]! : inputs;
    if (Array.isArray(input) || input.rank !== 2 || own.bias === null || !denseBiasActivationRuns()) return super.call(inputs, kwargs);
    const activation = own.activation.getClassName();
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const fused = activation === 'relu' ? 'relu' : 'linear';
      const y = denseBiasActivation(input as tf.Tensor2D, own.kernel.read() as tf.Tensor2D, own.bias!.read() as tf.Tensor1D, fused);
      return fused === 'relu' || activation === 'linear' ? y : (own.activation as unknown as { apply(t: tf.Tensor): tf.Tensor }).apply(y);
    });
  }
}

/** A Dense layer as tfl.layers.dense makes it, fused where it can be. */
export function dense(args: DenseArgs): FusedDense {
  return new FusedDense(args);
}
