import { CLASS_CHARS, NUM_CLASSES, PIXELS } from '../data/dataset.js';
import type { Split } from '../data/preprocess.js';
import type { GridTile } from './image_grid.js';
import type { Predictions } from './predictions.js';

/**
 * Up to `limit` wrongly classified images, in test-set order (already shuffled, so a fair sample of the
 * mistakes rather than the most confident ones), each captioned with its true and predicted characters.
 */
export function misclassifiedTiles(split: Split, predictions: Predictions, limit = 32): GridTile[] {
  const tiles: GridTile[] = [];
  for (let i = 0; i < split.count && tiles.length < limit; i++) {
    const truth = split.labels[i]!;
    const guess = predictions.predicted[i]!;
    if (truth === guess) continue;
    const p = predictions.probabilities[i * NUM_CLASSES + guess]!;
    tiles.push({
      // The image as loaded (uint8 or float32), which the grid draws either way: no float copy is needed.
      pixels: split.pixels.subarray(split.rows[i]! * PIXELS, (split.rows[i]! + 1) * PIXELS),
      caption: `true ${CLASS_CHARS[truth]} / pred ${CLASS_CHARS[guess]} (p=${p.toFixed(2)})`,
    });
  }
  return tiles;
}
