// The pooling shapes MaxPool and MaxPoolGrad are tested on: random geometries (overlapping windows,
// padding, batch 1, channel counts on and off the 4-wide vectors), windows that tile the input exactly
// (where the gradient skips zeroing dx, so every element must be stored), 2x2 windows with uncovered and clamped
// edges, and the CNN's own pools.
import { seededRandom } from '../../../src/util/random.js';
import { CNN_CONV_LAYERS, CNN_POOLS } from './network_shapes.js';

/** One pooling to test. */
export interface PoolCase {
  name: string;
  x: [number, number, number, number];
  filterSize: [number, number];
  strides: [number, number];
  pad: 'valid' | 'same' | number;
}

const random = Array.from({ length: 12 }, (_, i): PoolCase => {
  const r = seededRandom(900 + i);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const fh = int(1, 3);
  const fw = int(1, 3);
  // Strides below the filter size give overlapping windows, the gradient's per-image path.
  return named({
    x: [i === 0 ? 1 : int(1, 3), int(fh, 13), int(fw, 13), int(1, 11)],
    filterSize: [fh, fw],
    strides: [int(1, 3), int(1, 3)],
    pad: (['valid', 'same', 1] as const)[i % 3]!,
  });
});

/** Exact tiling (stride = filter, no padding, sides multiples of it), f=1 s=1 included, for every channel tail. */
const exact: PoolCase[] = [1, 2, 3, 5, 8].flatMap((c) => [
  named({ x: [1, 4, 4, c], filterSize: [2, 2], strides: [2, 2], pad: 'valid' }),
  named({ x: [2, 3, 3, c], filterSize: [1, 1], strides: [1, 1], pad: 'valid' }),
  named({ x: [2, 6, 9, c], filterSize: [3, 3], strides: [3, 3], pad: 'same' }),
  named({ x: [1, 4, 6, c], filterSize: [2, 3], strides: [2, 3], pad: 0 }),
]);

/** 2x2 windows at stride 2, the kernels' unrolled path, on channel counts it takes (multiples of 4) and one it
 *  does not: an odd side leaves a row or column no window covers ('valid') or clamps the last window ('same',
 *  padding 1), so whole and clamped windows meet in one call. */
const twoByTwo: PoolCase[] = [4, 12, 6].flatMap((c) => [
  named({ x: [2, 7, 9, c], filterSize: [2, 2], strides: [2, 2], pad: 'valid' }),
  named({ x: [1, 5, 6, c], filterSize: [2, 2], strides: [2, 2], pad: 'same' }),
  named({ x: [1, 6, 7, c], filterSize: [2, 2], strides: [2, 2], pad: 1 }),
]);

/** The CNN's three pools at batch 2: 10x10 by 3 leaves a row and column no window covers. */
const cnn: PoolCase[] = CNN_POOLS.flatMap(({ pool }, i) => {
  if (pool === undefined) return [];
  const [side, , channels] = CNN_CONV_LAYERS[i]!;
  const size = side - 2;
  return [
    { name: `cnn ${size}x${size}x${channels} pool ${pool}`, x: [2, size, size, channels], filterSize: [pool, pool], strides: [pool, pool], pad: 'valid' },
  ];
});

/** Random geometries, exact tilings, 2x2 windows, then the CNN's pools. */
export const POOL_CASES: readonly PoolCase[] = [...random, ...exact, ...twoByTwo, ...cnn];

function named(c: Omit<PoolCase, 'name'>): PoolCase {
  return { ...c, name: `x${c.x.join('x')} f${c.filterSize.join('x')} s${c.strides.join(',')} ${c.pad}` };
}
