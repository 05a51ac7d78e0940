import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { openCpu } from '../../src/backends/cpu.js';
import { NUM_CLASSES } from '../../src/data/dataset.js';
import { predictSplit } from '../../src/report/predictions.js';
import { litSplit, pixelVoteModel } from './tiny_models.js';

beforeAll(async () => {
  await openCpu();
});

describe('predictSplit', () => {
  test.each([false, true])('classes and softmax probabilities over chunks, nothing left allocated (images: %s)', (images) => {
    const lit = Array.from({ length: 45 }, (_, i) => (i * 7) % NUM_CLASSES);
    const split = litSplit(
      lit.map(() => 0),
      lit,
    );
    const model = pixelVoteModel(images, 8);
    const before = tf.memory().numTensors;
    // A chunk of 16 over 45 images: two full chunks and a short last one.
    const { predicted, probabilities } = predictSplit(model, split, images, 16);
    expect(tf.memory().numTensors).toBe(before);
    expect([...predicted]).toEqual(lit);
    expect(probabilities).toHaveLength(45 * NUM_CLASSES);
    // Logit 8 for the lit class, 0 for the 35 others: p = e^8 / (e^8 + 35).
    const expected = Math.exp(8) / (Math.exp(8) + 35);
    for (let i = 0; i < 45; i++) {
      const row = probabilities.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(row[lit[i]!]).toBeCloseTo(expected, 5);
    }
  });
});
