import { NUM_CLASSES } from '../data/dataset.js';

/** Counts of (true class, predicted class) pairs: `counts[true * classes + predicted]`. */
export interface ConfusionMatrix {
  classes: number;
  counts: Uint32Array;
}

/** Tallies each test image under its true class (row) and the class the model predicted (column). */
export function confusionMatrix(trueLabels: ArrayLike<number>, predicted: ArrayLike<number>, classes = NUM_CLASSES): ConfusionMatrix {
  if (trueLabels.length !== predicted.length) {
    throw new Error(`${trueLabels.length} true labels but ${predicted.length} predictions`);
  }
  const counts = new Uint32Array(classes * classes);
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i]!;
    const p = predicted[i]!;
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) throw new Error(`class pair (${t}, ${p}) is outside 0..${classes - 1}`);
    counts[t * classes + p]!++;
  }
  return { classes, counts };
}

/** How many images of class `row` the matrix holds. */
export function rowTotal(m: ConfusionMatrix, row: number): number {
  let total = 0;
  for (let c = 0; c < m.classes; c++) total += m.counts[row * m.classes + c]!;
  return total;
}
