// Keras's Dropout layer with a seeded, counter-based mask (stateless_dropout.ts) instead of tfjs's
// unseeded per-element JavaScript random numbers: fast on our backend, and the same seed drops the same
// elements in the same training step on every backend. It serialises as Keras's own `Dropout` (same
// class name and config keys), so saved models load anywhere, as tfjs-layers' Dropout unless the loader
// asks for this class (layer_classes.ts). Importing this module registers nothing with tfjs.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { statelessDropout } from './stateless_dropout.js';

/** What a Dropout layer is built from, as Keras's Dropout: rate, optional noise shape and seed. */
export type DropoutArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]> & {
  /** Fraction of the inputs to drop while training, in [0, 1]. */
  rate: number;
  /** Shape of the mask, broadcast over the input (null entries take the input's size). */
  noiseShape?: (number | null)[];
  /** Makes the masks repeatable: call k of a layer with seed s always drops the same elements. */
  seed?: number;
};

/** Inverted dropout (keep with probability 1 - rate, scale by 1 / (1 - rate)) while training; identity otherwise. */
export class SeededDropout extends tfl.layers.Layer {
  /** Keras's class name, so saved models name the standard layer. */
  static className = 'Dropout';
  private readonly rate: number;
  private readonly noiseShape: (number | null)[] | undefined;
  private readonly seed: number | undefined;
  /** The seed masks come from: the given one, or a random one, as Keras draws when no seed is given. */
  private readonly maskSeed: number;
  /**
   * Training calls made so far: call k uses mask k of the seed's sequence. A checkpoint saves it and a
   * resumed run sets it back, or the resumed run would drop other elements than the uninterrupted one.
   */
  trainingCalls = 0;

  constructor(args: DropoutArgs) {
    super(args);
    this.rate = Math.max(Math.min(args.rate, 1), 0);
    // Configs read back from JSON (ours or Keras's) say null where no noise shape or seed was given.
    this.noiseShape = args.noiseShape ?? undefined;
    this.seed = args.seed ?? undefined;
    this.maskSeed = this.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const input = Array.isArray(inputs) ? onlyOne(inputs) : inputs;
      if (kwargs.training !== true || !(this.rate > 0 && this.rate < 1)) return input;
      const noiseShape = this.noiseShape?.map((d, i) => d ?? input.shape[i]!);
      return statelessDropout(input, this.rate, this.maskSeed, this.trainingCalls++, noiseShape);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { rate: this.rate, noiseShape: this.noiseShape ?? null, seed: this.seed ?? null, ...super.getConfig() };
  }
}

function onlyOne(inputs: tf.Tensor[]): tf.Tensor {
  if (inputs.length !== 1) throw new Error(`Dropout takes one input, got ${inputs.length}`);
  return inputs[0]!;
}

/**
 * Dropout layers for one network: with a run seed, layer k (in the order they are made) gets its own
 * repeatable seed, separate from the weight initialisers' seeds; without one, each layer draws its own.
 */
export function dropoutFrom(seed: number | undefined): (args: DropoutArgs) => SeededDropout {
  let layer = 0;
  return (args) => new SeededDropout({ ...args, seed: args.seed ?? (seed === undefined ? undefined : seed * 100 + 50 + layer++) });
}

/** Every seeded dropout layer's training-call counter, in layer order: the model's only random state. */
export function dropoutCounters(model: tfl.LayersModel): number[] {
  return model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout).map((l) => l.trainingCalls);
}

/** Sets the counters `dropoutCounters` read, so the next masks are the ones an uninterrupted run would draw. */
export function restoreDropoutCounters(model: tfl.LayersModel, counters: readonly number[]): void {
  const layers = model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);
  if (layers.length !== counters.length) throw new Error(`${model.name} has ${layers.length} dropout layers, the checkpoint ${counters.length}`);
  layers.forEach((layer, i) => {
    layer.trainingCalls = counters[i]!;
  });
}
