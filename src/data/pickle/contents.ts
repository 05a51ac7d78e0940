import type { RawDataset } from '../dataset.js';
import { isInstance } from './globals.js';
import { arrayHeader, describeValue, isTuple } from './ndarray.js';
import { formatShape, problem } from './problem.js';
import { imageCount, labelCount, toLabels, toPixels } from './values.js';

/** Interprets an unpickled object as the (X, y) data set, checking structure, shapes, lengths and values. */
export function readContents(root: unknown, source: string): RawDataset {
  const [xValue, yValue] = findPair(root);
  const x = arrayHeader('X', xValue);
  const y = arrayHeader('y', yValue);
  const count = imageCount(x);
  const labels = labelCount(y);
  if (count !== labels) problem(`X holds ${count} images but y holds ${labels} labels`);
  if (count === 0) problem(`the data set is empty (X has shape ${formatShape(x.shape)})`);
  return { pixels: toPixels(x), labels: toLabels(y, count), count, source };
}

/** The two arrays from the notebook's `(X, y)` tuple, a list `[X, y]`, or a dict with keys `X` and `y`. */
function findPair(root: unknown): [unknown, unknown] {
  if (isTuple(root)) {
    if (root.length !== 2) problem(`it holds ${describeValue(root)} instead of the pair (X, y)`);
    return [root[0], root[1]];
  }
  if (isInstance(root, Map)) {
    if (!root.has('X') || !root.has('y')) problem(`it holds ${describeValue(root)}, but the keys 'X' and 'y' are needed`);
    return [root.get('X'), root.get('y')];
  }
  return problem(`it holds ${describeValue(root)} instead of a tuple (X, y), a list [X, y] or a dict with keys 'X' and 'y'`);
}
