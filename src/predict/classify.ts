import * as tf from '@tensorflow/tfjs-core';
import { CLASS_CHARS, IMAGE_SIZE, PIXELS } from '../data/dataset.js';
import type { TrainedNetwork } from './load_trained.js';

/** Images per forward pass: bounds memory whatever the number of samples. */
const BATCH = 256;

/** Class probabilities for `count` training-format images (3136 floats in [0, 1] each, concatenated). */
export function classProbabilities(network: TrainedNetwork, images: Float32Array, count: number): Float32Array[] {
  const rows: Float32Array[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const probs = tf.tidy(() => {
      const flat = tf.tensor2d(images.subarray(start * PIXELS, (start + n) * PIXELS), [n, PIXELS]);
      const x = network.input === 'images' ? tf.reshape(flat, [n, IMAGE_SIZE, IMAGE_SIZE, 1]) : flat;
      return network.model.predict(x) as tf.Tensor;
    });
    const data = probs.dataSync() as Float32Array;
    probs.dispose();
    const classes = data.length / n;
    for (let i = 0; i < n; i++) rows.push(data.slice(i * classes, (i + 1) * classes));
  }
  return rows;
}

/** One guess: the character and its probability. */
export interface Guess {
  char: string;
  probability: number;
}

/** The `k` most probable characters, most probable first (ties: lower class index first). */
export function topK(probabilities: Float32Array, k: number): Guess[] {
  return Array.from(probabilities, (probability, index) => ({ index, probability }))
    .sort((a, b) => b.probability - a.probability || a.index - b.index)
    .slice(0, k)
    .map(({ index, probability }) => ({ char: CLASS_CHARS[index]!, probability }));
}
