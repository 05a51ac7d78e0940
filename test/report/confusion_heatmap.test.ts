import { describe, expect, test } from 'vitest';
import { NUM_CLASSES } from '../../src/data/dataset.js';
import { drawConfusionHeatmap, HEATMAP_GEOMETRY } from '../../src/report/confusion_heatmap.js';
import { confusionMatrix } from '../../src/report/confusion_matrix.js';
import { brightness, decodePng, PNG_SIGNATURE } from './png_support.js';

describe('drawConfusionHeatmap', () => {
  test('a PNG whose diagonal cells are dark, empty cells white and a rare confusion light', async () => {
    const truth: number[] = [];
    const guess: number[] = [];
    for (let c = 0; c < NUM_CLASSES; c++) {
      for (let k = 0; k < 20; k++) {
        truth.push(c);
        guess.push(c);
      }
    }
    // One image of 'A' (10) called '4' (4): 1 of its row's 21.
    truth.push(10);
    guess.push(4);
    const png = await drawConfusionHeatmap(confusionMatrix(truth, guess), 'test').encode('png');
    expect(Buffer.from(png).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const image = await decodePng(png);
    const { left, top, cell } = HEATMAP_GEOMETRY;
    expect(image.width).toBeGreaterThan(left + NUM_CLASSES * cell);
    expect(image.height).toBeGreaterThan(top + NUM_CLASSES * cell);

    // Read near a cell's corner, away from the count printed in its middle and from the grid lines.
    const shade = (row: number, col: number): number => brightness(image.rgb(left + col * cell + 3, top + row * cell + 3));
    const diagonal = shade(10, 10);
    const rare = shade(10, 4);
    const empty = shade(3, 17);
    expect(diagonal).toBeLessThan(100);
    expect(empty).toBe(255);
    expect(rare).toBeGreaterThan(diagonal + 100);
    expect(rare).toBeLessThan(empty);
  });
});
