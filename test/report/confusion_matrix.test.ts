import { describe, expect, test } from 'vitest';
import { confusionMatrix, rowTotal } from '../../src/report/confusion_matrix.js';

describe('confusionMatrix', () => {
  test('counts (true, predicted) pairs by row and column, against a hand-made example', () => {
    // Three classes: class 0 twice right, once called 2; class 1 once right, twice called 0; class 2 once right.
    const truth = [0, 0, 0, 1, 1, 1, 2];
    const guess = [0, 2, 0, 1, 0, 0, 2];
    const m = confusionMatrix(truth, guess, 3);
    expect([...m.counts]).toEqual([2, 0, 1, 2, 1, 0, 0, 0, 1]);
    expect([0, 1, 2].map((r) => rowTotal(m, r))).toEqual([3, 3, 1]);
  });

  test('defaults to the 36 classes', () => {
    const m = confusionMatrix([35, 0], [0, 35]);
    expect(m.classes).toBe(36);
    expect(m.counts[35 * 36 + 0]).toBe(1);
    expect(m.counts[0 * 36 + 35]).toBe(1);
    expect(m.counts.reduce((a, b) => a + b, 0)).toBe(2);
  });

  test('refuses mismatched lengths and classes out of range', () => {
    expect(() => confusionMatrix([1, 2], [1])).toThrow(/2 true labels but 1 predictions/);
    expect(() => confusionMatrix([3], [0], 3)).toThrow(/outside 0\.\.2/);
  });
});
