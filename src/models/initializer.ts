import * as tfl from '@tensorflow/tfjs-layers';

/**
 * Keras's default kernel initialiser (Glorot uniform; biases start at zero), one fresh seed per layer when
 * a seed is given, so that the same seed builds the same starting weights.
 */
export function initializerFrom(seed: number | undefined): () => ReturnType<typeof tfl.initializers.glorotUniform> {
  let layer = 0;
  return () => tfl.initializers.glorotUniform(seed === undefined ? {} : { seed: seed * 100 + layer++ });
}
