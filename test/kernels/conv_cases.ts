// The convolution shapes every Conv2D-family test runs: random geometries (odd sizes, batch 1,
// strides, padding, channel counts on and off the SIMD and tile multiples) and the CNN's own layers.
import { seededRandom } from '../../src/util/random.js';

/** One convolution to test. */
export interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: 'valid' | 'same' | number;
}

const random = Array.from({ length: 14 }, (_, i): ConvCase => {
  const r = seededRandom(700 + i);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const fh = int(1, 4);
  const fw = int(1, 4);
  // Half the cases have channel counts that are multiples of 4, the packing's vector path.
  const inC = i % 2 === 0 ? 4 * int(1, 5) : int(1, 9);
  const pads = ['valid', 'same', int(0, 2)] as const;
  const c: ConvCase = {
    name: '',
    x: [i === 0 ? 1 : int(1, 3), int(fh, 15), int(fw, 15), inC],
    filter: [fh, fw, inC, int(1, 21)],
    strides: [int(1, 2), int(1, 3)],
    pad: pads[i % 3]!,
  };
  c.name = `x${c.x.join('x')} f${c.filter.join('x')} s${c.strides.join(',')} ${c.pad}`;
  return c;
});

/** The notebook CNN's four convolutions at batch 2. */
const cnn: ConvCase[] = [
  [56, 1, 16],
  [54, 16, 32],
  [26, 32, 64],
  [12, 64, 128],
].map(([size, inC, outC]) => ({
  name: `cnn ${size}x${size}x${inC} -> ${outC}`,
  x: [2, size!, size!, inC!],
  filter: [3, 3, inC!, outC!],
  strides: [1, 1],
  pad: 'valid',
}));

/** Random geometries then the CNN's layers. */
export const CONV_CASES: readonly ConvCase[] = [...random, ...cnn];
