import type { GlyphBox } from './fonts.js';
import type { Rng } from './random.js';

/** A 2-D affine map in canvas `setTransform` order: (x, y) -> (a x + c y + e, b x + d y + f). */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

/** How one glyph is posed in the image, in image pixels and radians. */
export interface Pose {
  /** Length of the glyph's longer side after scaling, before rotation and shear. */
  size: number;
  /** Width over height stretch: x is scaled by sqrt(aspect), y by 1/sqrt(aspect). */
  aspect: number;
  /** Clockwise rotation. */
  rotation: number;
  /** Horizontal shear: x moves by shear * y (a slanted hand). */
  shear: number;
  /** Horizontal offset of the glyph's centre from the image centre. */
  shiftX: number;
  /** Vertical offset of the glyph's centre from the image centre. */
  shiftY: number;
}

/** An affine map with the glyph-to-image scale it applies, which pen widths must follow. */
export interface Placement {
  affine: Affine;
  scale: number;
}

/** Applies an affine map to a point. */
export function applyAffine(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** Bounding box, in the image, of a glyph box's four corners after the map. */
export function mappedBounds(m: Affine, box: GlyphBox): GlyphBox {
  const corners = [
    applyAffine(m, box.left, box.top),
    applyAffine(m, box.right, box.top),
    applyAffine(m, box.left, box.bottom),
    applyAffine(m, box.right, box.bottom),
  ];
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
}

/**
 * Maps a glyph's box into a `side`-pixel image with the given pose, shrinking and pulling it
 * back in where the pose would push ink past the `margin`: scans are cropped around the
 * character, so a real sample never loses part of its glyph.
 */
export function placeGlyph(box: GlyphBox, pose: Pose, side: number, margin: number): Placement {
  const width = box.right - box.left;
  const height = box.bottom - box.top;
  const stretch = Math.sqrt(pose.aspect);
  const cos = Math.cos(pose.rotation);
  const sin = Math.sin(pose.rotation);
  const linear = (s: number): [number, number, number, number] => {
    // rotate * shear * diag(s * stretch, s / stretch), composed by hand.
    const sx = s * stretch;
    const sy = s / stretch;
    return [cos * sx, sin * sx, (cos * pose.shear - sin) * sy, (sin * pose.shear + cos) * sy];
  };
  const centreX = (box.left + box.right) / 2;
  const centreY = (box.top + box.bottom) / 2;
  const at = (s: number, x: number, y: number): Affine => {
    const [a, b, c, d] = linear(s);
    return [a, b, c, d, x - (a * centreX + c * centreY), y - (b * centreX + d * centreY)];
  };
  let scale = pose.size / Math.max(width, height, 1e-6);
  const room = side - 2 * margin;
  const centred = mappedBounds(at(scale, 0, 0), box);
  const extent = Math.max(centred.right - centred.left, centred.bottom - centred.top);
  if (extent > room) scale *= room / extent;
  const fitted = mappedBounds(at(scale, 0, 0), box);
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  const x = clamp(side / 2 + pose.shiftX, margin - fitted.left, side - margin - fitted.right);
  const y = clamp(side / 2 + pose.shiftY, margin - fitted.top, side - margin - fitted.bottom);
  return { affine: at(scale, x, y), scale };
}

/** Catmull-Rom weights for the four control points around fraction t, so the field passes through them smoothly. */
function catmullRom(t: number): [number, number, number, number] {
  const t2 = t * t;
  const t3 = t2 * t;
  return [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2];
}

/** For each output position, the first of its four control points and their Catmull-Rom weights. */
function splineTaps(cells: number, side: number): { first: Int32Array; weights: Float64Array } {
  const first = new Int32Array(side);
  const weights = new Float64Array(side * 4);
  const step = cells / (side - 1);
  for (let x = 0; x < side; x++) {
    const g = x * step;
    const i = Math.min(Math.floor(g), cells - 1);
    first[x] = i - 1;
    weights.set(catmullRom(g - i), x * 4);
  }
  return { first, weights };
}

/** Smoothly interpolates a (cells+1)^2 grid of values to a side x side field, rows first then columns. */
function interpolateGrid(grid: Float64Array, cells: number, side: number): Float32Array {
  const points = cells + 1;
  const { first, weights } = splineTaps(cells, side);
  // Control points beyond the grid repeat the edge ones, so the field flattens out at the border.
  const clampIndex = (i: number): number => Math.min(Math.max(i, 0), cells);
  const rows = new Float64Array(points * side);
  for (let j = 0; j < points; j++) {
    for (let x = 0; x < side; x++) {
      let v = 0;
      for (let m = 0; m < 4; m++) v += weights[x * 4 + m]! * grid[j * points + clampIndex(first[x]! + m)]!;
      rows[j * side + x] = v;
    }
  }
  const field = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let n = 0; n < 4; n++) {
      const w = weights[y * 4 + n]!;
      const row = clampIndex(first[y]! + n) * side;
      for (let x = 0; x < side; x++) field[y * side + x] = field[y * side + x]! + w * rows[row + x]!;
    }
  }
  return field;
}

/**
 * A smooth random displacement field (elastic distortion, as Simard et al. used on MNIST):
 * normal offsets of deviation `amplitude` pixels on a coarse grid, interpolated, so strokes
 * bend and wobble without tearing.
 */
export function elasticField(rng: Rng, side: number, cells: number, amplitude: number): { dx: Float32Array; dy: Float32Array } {
  const draw = (): Float64Array => {
    const grid = new Float64Array((cells + 1) * (cells + 1));
    for (let k = 0; k < grid.length; k++) grid[k] = rng.normal() * amplitude;
    return grid;
  };
  const gridX = draw();
  const gridY = draw();
  return { dx: interpolateGrid(gridX, cells, side), dy: interpolateGrid(gridY, cells, side) };
}

/** Resamples a square image at (x + dx, y + dy) with bilinear interpolation; outside reads as 0 (background). */
export function remap(src: Float32Array, side: number, dx: Float32Array, dy: Float32Array): Float32Array {
  const out = new Float32Array(side * side);
  const px = (x: number, y: number): number => (x < 0 || y < 0 || x >= side || y >= side ? 0 : src[y * side + x]!);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const k = y * side + x;
      const sx = x + dx[k]!;
      const sy = y + dy[k]!;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const top = px(x0, y0) * (1 - fx) + px(x0 + 1, y0) * fx;
      const bottom = px(x0, y0 + 1) * (1 - fx) + px(x0 + 1, y0 + 1) * fx;
      out[k] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** Halves a square image's side by averaging 2x2 blocks, which anti-aliases the supersampled drawing. */
export function downsample2(src: Float32Array, side: number): Float32Array {
  const half = side / 2;
  const out = new Float32Array(half * half);
  for (let y = 0; y < half; y++) {
    for (let x = 0; x < half; x++) {
      const k = 2 * y * side + 2 * x;
      out[y * half + x] = (src[k]! + src[k + 1]! + src[k + side]! + src[k + side + 1]!) / 4;
    }
  }
  return out;
}
