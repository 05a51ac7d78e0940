import { describe, expect, test } from 'vitest';
import { NUM_CLASSES, PIXELS } from '../../src/data/dataset.js';
import { misclassifiedTiles } from '../../src/report/misclassified.js';
import type { Predictions } from '../../src/report/predictions.js';
import { litSplit } from './tiny_models.js';

/** Predictions that put `p` on the given class of each image and share the rest evenly. */
function predictionsOf(classes: number[], p: number): Predictions {
  const probabilities = new Float32Array(classes.length * NUM_CLASSES).fill((1 - p) / (NUM_CLASSES - 1));
  classes.forEach((c, i) => {
    probabilities[i * NUM_CLASSES + c] = p;
  });
  return { predicted: Uint8Array.from(classes), probabilities };
}

describe('misclassifiedTiles', () => {
  test('only wrong images, in order, captioned with true and predicted characters and the probability', () => {
    const labels = [0, 10, 35, 5, 24];
    const split = litSplit(labels, [1, 2, 3, 4, 5]);
    const tiles = misclassifiedTiles(split, predictionsOf([0, 11, 0, 5, 0], 0.8312));
    expect(tiles.map((t) => t.caption)).toEqual(['true A / pred B (p=0.83)', 'true Z / pred 0 (p=0.83)', 'true O / pred 0 (p=0.83)']);
    // The second wrong image is image 2, which lights pixel 3.
    expect(tiles[1]!.pixels).toHaveLength(PIXELS);
    expect(tiles[1]!.pixels[3]).toBe(1);
  });

  test('stops at the limit', () => {
    const labels = Array.from({ length: 50 }, (_, i) => i % NUM_CLASSES);
    const split = litSplit(labels, labels);
    const tiles = misclassifiedTiles(
      split,
      predictionsOf(
        labels.map((l) => (l + 1) % NUM_CLASSES),
        0.5,
      ),
      32,
    );
    expect(tiles).toHaveLength(32);
  });
});
