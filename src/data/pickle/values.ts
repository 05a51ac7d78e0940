import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../dataset.js';
import { UNIT_SCALE } from '../normalize.js';
import { type ArrayHeader, arrayValues } from './ndarray.js';
import { formatNumber, formatShape, problem } from './problem.js';

// Pixel rules, applied per source dtype:
// - integer dtypes: every value must be a whole number in 0..255; kept as uint8.
// - bool: False -> 0 and True -> 255 (full ink), kept as uint8; 0/1 bytes would be near-black images.
// - float dtypes: NaN and infinities are refused; if every value lies in [0, 1] they are kept as is
//   (float32); otherwise, if every value lies in [0, 255], all are divided by 255 (float32); anything
//   negative or above 255 is refused. A float image whose values are all 0 or 1 is therefore read as
//   already scaled, as Keras code that divided by 255 would have left it.
//   When every resulting float32 is exactly what a uint8 normalises to (`UNIT_SCALE`), as for uint8
//   images divided by 255 in float32 or float64, the images are kept as those uint8 values instead:
//   training reads the same floats, from a quarter of the memory. Other float data stays float32.
// Pixels are one byte each from the file to the batch: uint8 data is a view of the file's own bytes.

/** The images as `RawDataset.pixels`: uint8 0..255 or float32 in [0, 1], one image after another. */
export function toPixels(x: ArrayHeader): Uint8Array | Float32Array {
  const imageOf = (i: number): number => Math.floor(i / PIXELS);
  if (x.kind === 'float') return floatPixels(x, imageOf);
  const values = arrayValues(x);
  if (x.kind === 'uint' && values instanceof Uint8Array) return values;
  if (x.kind === 'bool') {
    const out = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = values[i] === 0 ? 0 : 255;
    return out;
  }
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < 0 || v > 255) problem(`X holds the pixel value ${v} in image ${imageOf(i)}, outside the allowed range 0..255 for ${x.dtypeName} images`);
    out[i] = v;
  }
  return out;
}

/** Float X, checked and mapped as the pixel rules above say. */
function floatPixels(x: ArrayHeader, imageOf: (i: number) => number): Uint8Array | Float32Array {
  const count = x.data.length / x.size;
  const at = floatElements(x);
  let max = 0;
  for (let i = 0; i < count; i++) {
    const v = at(i);
    if (Number.isNaN(v)) problem(`X holds NaN pixel values (the first in image ${imageOf(i)})`);
    if (!Number.isFinite(v)) problem(`X holds infinite pixel values (the first in image ${imageOf(i)})`);
    if (v < 0 || v > 255) {
      problem(`X holds the pixel value ${v} in image ${imageOf(i)}, outside the allowed range ([0, 1], or [0, 255] for unscaled ${x.dtypeName} images)`);
    }
    if (v > max) max = v;
  }
  const quantised = asUint8(count, at, max > 1);
  if (quantised !== null) return quantised;
  const out = new Float32Array(count);
  if (max > 1) for (let i = 0; i < count; i++) out[i] = at(i) / 255;
  else for (let i = 0; i < count; i++) out[i] = at(i);
  return out;
}

/**
 * Element `i` of a float array in C order. C-order data is read where it lies, in its byte order, rather
 * than copied: a float X is four or eight bytes a pixel, and a copy would double that while it loads.
 */
function floatElements(x: ArrayHeader): (i: number) => number {
  if (x.fortran && x.shape.length > 1) {
    const values = arrayValues(x);
    return (i) => values[i] as number;
  }
  const view = new DataView(x.data.buffer, x.data.byteOffset, x.data.byteLength);
  const little = x.littleEndian;
  return x.size === 4 ? (i) => view.getFloat32(i * 4, little) : (i) => view.getFloat64(i * 8, little);
}

/**
 * Float pixels (divided by 255 first when `unscaled`) as the uint8 values that normalise to exactly the same
 * float32, sign of zero included; null as soon as one pixel has no such value.
 */
function asUint8(count: number, at: (i: number) => number, unscaled: boolean): Uint8Array | null {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const unit = Math.fround(unscaled ? at(i) / 255 : at(i));
    const level = Math.round(unit * 255);
    if (!Object.is(UNIT_SCALE[level], unit)) return null;
    out[i] = level;
  }
  return out;
}

/** The labels as class indices 0..35, from plain indices, an (N, 1) column, or one-hot rows. */
export function toLabels(y: ArrayHeader, count: number): Uint8Array {
  const values = arrayValues(y);
  const labels = new Uint8Array(count);
  if (y.shape.length === 2 && y.shape[1] === NUM_CLASSES) {
    for (let row = 0; row < count; row++) {
      let hot = -1;
      let oneHot = true;
      for (let c = 0; c < NUM_CLASSES; c++) {
        const v = values[row * NUM_CLASSES + c] as number;
        if (v === 1 && hot < 0) hot = c;
        else if (v !== 0) oneHot = false;
      }
      if (!oneHot || hot < 0) {
        problem(`y has the one-hot shape ${formatShape(y.shape)} but row ${row} is not one-hot (a single 1, the rest 0)`);
      }
      labels[row] = hot;
    }
    return labels;
  }
  for (let i = 0; i < count; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v)) {
      problem(`y holds the label ${formatNumber(v)} for image ${i}, but labels must be whole numbers from 0 to ${NUM_CLASSES - 1}`);
    }
    if (v < 0 || v >= NUM_CLASSES) problem(`y holds the label ${v} for image ${i}, outside the class range 0..${NUM_CLASSES - 1}`);
    labels[i] = v;
  }
  return labels;
}

/** Checks X's shape and returns its image count: (N, 3136), (N, 56, 56) or (N, 56, 56, 1). */
export function imageCount(x: ArrayHeader): number {
  const [n = 0, ...rest] = x.shape;
  const shape = formatShape(x.shape);
  const expected = `expected (N, ${PIXELS}), (N, ${IMAGE_SIZE}, ${IMAGE_SIZE}) or (N, ${IMAGE_SIZE}, ${IMAGE_SIZE}, 1)`;
  const [a, b, c] = rest;
  if (rest.length === 1 && a === PIXELS) return n;
  if ((rest.length === 2 || (rest.length === 3 && c === 1)) && a === IMAGE_SIZE && b === IMAGE_SIZE) return n;
  if (rest.length === 1) problem(`X holds flat images of ${a} pixels (shape ${shape}), not 56x56 = ${PIXELS}; ${expected}`);
  if (rest.length === 2 || (rest.length === 3 && c === 1)) {
    problem(`X holds images of ${a}x${b} pixels (shape ${shape}), not ${IMAGE_SIZE}x${IMAGE_SIZE}; ${expected}`);
  }
  if (rest.length === 3 && a === IMAGE_SIZE && b === IMAGE_SIZE) {
    problem(`X has shape ${shape}, with ${c} channels instead of one grey channel; ${expected}`);
  }
  return problem(`X has shape ${shape}; ${expected}`);
}

/** Checks y's shape and returns its label count: (N,), (N, 1) or one-hot (N, 36). */
export function labelCount(y: ArrayHeader): number {
  const [n = 0, ...rest] = y.shape;
  if (y.shape.length === 1 || (rest.length === 1 && (rest[0] === 1 || rest[0] === NUM_CLASSES))) return n;
  return problem(`y has shape ${formatShape(y.shape)}; expected (N,), (N, 1) or one-hot (N, ${NUM_CLASSES})`);
}
