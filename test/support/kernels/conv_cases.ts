// The convolution shapes every Conv2D-family test runs: random geometries (odd sizes, batch 1,
// strides, padding, channel counts on and off the SIMD and tile multiples) and the CNN's own layers.
import { seededRandom } from '../../../src/util/random.js';
import { CNN_CONV_LAYERS } from './network_shapes.js';

/** One convolution to test. */
export interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: 'valid' | 'same' | number;
  /** The Winograd output tile (2x2 or 4x4) the forward pass and the input gradient run in, where they do;
   *  the filter gradient cuts dy into the forward pass's tiles. */
  winograd?: { forward: 2 | 4; inputGrad: 2 | 4 };
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

/** The notebook CNN's four convolutions at batch 2; all but conv1 (one input channel) by 4x4 Winograd tiles. */
const cnn: ConvCase[] = CNN_CONV_LAYERS.map(([size, inC, outC]) => ({
  name: `cnn ${size}x${size}x${inC} -> ${outC}`,
  x: [2, size, size, inC],
  filter: [3, 3, inC, outC],
  strides: [1, 1],
  pad: 'valid',
  ...(inC === 1 ? {} : { winograd: { forward: 4, inputGrad: 4 } as const }),
}));

/** One input or one output channel: the direct kernels' cases, with padding, strides and channel tails. */
const single: ConvCase[] = [
  { name: 'grey in, same, stride 2,1', x: [2, 11, 9, 1], filter: [3, 3, 1, 8], strides: [2, 1], pad: 'same' },
  { name: 'grey in, 5x5, 20 out', x: [1, 12, 12, 1], filter: [5, 5, 1, 20], strides: [1, 1], pad: 'valid' },
  { name: 'grey in, 6 out', x: [3, 8, 7, 1], filter: [2, 2, 1, 6], strides: [1, 1], pad: 1 },
  { name: 'grey in, 3 out, stride 2', x: [2, 9, 10, 1], filter: [3, 3, 1, 3], strides: [2, 2], pad: 'same' },
  { name: 'grey in, 13 out', x: [1, 9, 12, 1], filter: [3, 4, 1, 13], strides: [1, 1], pad: 'valid' },
  { name: 'grey in, 26 out', x: [2, 7, 9, 1], filter: [3, 3, 1, 26], strides: [1, 1], pad: 'same' },
  { name: 'one out channel, same', x: [2, 10, 10, 12], filter: [3, 3, 12, 1], strides: [1, 1], pad: 'same' },
  // Segments fw*c of 9, 15, 6 and 4 floats: the four-pixel dot product's masked last vector.
  { name: 'one out channel, segment 9', x: [2, 9, 13, 3], filter: [3, 3, 3, 1], strides: [1, 1], pad: 'same' },
  { name: 'one out channel, segment 15, stride 2', x: [1, 11, 17, 5], filter: [2, 3, 5, 1], strides: [1, 2], pad: 'valid' },
  { name: 'one out channel, segment 6', x: [2, 8, 14, 2], filter: [3, 3, 2, 1], strides: [1, 1], pad: 1 },
  { name: 'one out channel, segment 4', x: [1, 6, 12, 1], filter: [2, 4, 1, 1], strides: [1, 1], pad: 'valid' },
  { name: 'grey to grey, stride 1,2', x: [1, 7, 8, 1], filter: [2, 3, 1, 1], strides: [1, 2], pad: 'same' },
];

/** The LeNet-style model's two convolutions at batch 2: 1 -> 6 (its input gradient has one channel,
 *  segments of 30 floats) and 6 -> 16, both 5x5 'same'. */
export const LENET_CONV_CASES: readonly ConvCase[] = [
  { name: 'lenet 56x56x1 -> 6', x: [2, 56, 56, 1], filter: [5, 5, 1, 6], strides: [1, 1], pad: 'same' },
  { name: 'lenet 28x28x6 -> 16', x: [2, 28, 28, 6], filter: [5, 5, 6, 16], strides: [1, 1], pad: 'same' },
];

/** 3x3 stride 1 with channels in fours: the Winograd kernel's cases, with ragged last tiles (1-3 rows
 *  and columns of 4x4 tiles, odd 2x2 ones), padding on every side, channel counts off the 8-wide
 *  panels, and outputs small or flat enough that 2x2 tiles transform fewer values than 4x4 ones. */
const winograd: ConvCase[] = [
  { name: 'winograd same, odd sizes', x: [2, 9, 7, 8], filter: [3, 3, 8, 12], strides: [1, 1], pad: 'same', winograd: { forward: 4, inputGrad: 4 } },
  { name: 'winograd valid, batch 1', x: [1, 13, 10, 4], filter: [3, 3, 4, 4], strides: [1, 1], pad: 'valid', winograd: { forward: 4, inputGrad: 4 } },
  { name: 'winograd pad 2, many tiles', x: [3, 20, 17, 12], filter: [3, 3, 12, 20], strides: [1, 1], pad: 2, winograd: { forward: 4, inputGrad: 4 } },
  { name: 'winograd 3x3 input', x: [2, 3, 3, 16], filter: [3, 3, 16, 8], strides: [1, 1], pad: 1, winograd: { forward: 4, inputGrad: 4 } },
  { name: 'winograd two output rows', x: [2, 4, 11, 8], filter: [3, 3, 8, 12], strides: [1, 1], pad: 'valid', winograd: { forward: 2, inputGrad: 4 } },
  { name: 'winograd 5x5 same', x: [3, 5, 5, 12], filter: [3, 3, 12, 8], strides: [1, 1], pad: 'same', winograd: { forward: 2, inputGrad: 2 } },
  { name: 'winograd 6x6 output', x: [2, 8, 8, 4], filter: [3, 3, 4, 16], strides: [1, 1], pad: 'valid', winograd: { forward: 2, inputGrad: 4 } },
];

/** Random geometries, the direct and Winograd kernels' cases, then the CNN's and LeNet's layers. */
export const CONV_CASES: readonly ConvCase[] = [...random, ...single, ...winograd, ...cnn, ...LENET_CONV_CASES];

/** A dy whose spatial shape is not the one the geometry derives: tfjs passes it through (conv2dTranspose). */
export interface DyMismatchCase extends ConvCase {
  dy: [number, number, number, number];
}

/** dy larger than the derived output (the CPU backend ignores the rest), and for the filter gradient smaller. */
export const DY_MISMATCH_CASES: readonly DyMismatchCase[] = [
  // tfjs's spec `conv2dTranspose input=8x8x8,output=4x4x8,f=8,s=1,inDepth=8,p=same`.
  { name: 'spec 8x8x8 dy for a 4x4x8 input, f8 same', x: [1, 4, 4, 8], filter: [8, 8, 8, 8], dy: [1, 8, 8, 8], strides: [1, 1], pad: 'same' },
  { name: 'dy two rows taller, stride 2', x: [2, 9, 7, 3], filter: [3, 2, 3, 5], dy: [2, 6, 3, 5], strides: [2, 2], pad: 'valid' },
  { name: 'dy three columns wider, pad 1', x: [1, 6, 5, 4], filter: [3, 3, 4, 6], dy: [1, 6, 8, 6], strides: [1, 1], pad: 1 },
];

/** dy smaller than the derived output: for the filter gradient only, whose missing elements count as zeros. */
export const DY_SHORT_CASES: readonly DyMismatchCase[] = [
  { name: 'dy two rows short', x: [2, 8, 8, 3], filter: [3, 3, 3, 4], dy: [2, 4, 6, 4], strides: [1, 1], pad: 'valid' },
  { name: 'dy one column short, same', x: [1, 7, 7, 5], filter: [2, 2, 5, 3], dy: [1, 4, 3, 3], strides: [2, 2], pad: 'same' },
];

/** Convolutions run in NCHW (x and dy transposed from the NHWC case): a few random ones and a Winograd one. */
export const NCHW_CASES: readonly ConvCase[] = [...random.slice(0, 5), winograd[0]!];

const PHASE_STRIDES: ReadonlyArray<[number, number]> = [
  [2, 2],
  [3, 3],
  [2, 1],
  [1, 3],
  [3, 2],
];

// Random strided geometries for the input gradient by phases: filters 1..5 (smaller than, equal to and
// larger than the stride), odd sizes, every padding kind (3 gives the phases a negative pad), input
// channels (the GEMM's N) on and off the 8-wide panels, output channels on and off the 4-float vectors.
const phaseRandom = Array.from({ length: 30 }, (_, i): ConvCase => {
  const r = seededRandom(900 + i);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const strides = PHASE_STRIDES[i % PHASE_STRIDES.length]!;
  const fh = int(1, 5);
  const fw = int(1, 5);
  const pad = (['same', 'valid', 0, 1, 3] as const)[i % 5]!;
  // Odd sizes from 5 to 15; every sixth case smaller than the stride (phases with no pixels), padded so
  // that the forward output is not empty.
  const odd = (f: number): number => Math.max(f, 5) + 2 * int(0, 5) - (Math.max(f, 5) % 2 === 0 ? 1 : 0);
  const tiny = i % 6 === 5 && pad !== 'valid';
  const size = (f: number, s: number): number => (tiny ? int(1, Math.max(1, s - 1)) : Math.max(f, odd(f)));
  const c: ConvCase = {
    name: '',
    x: [i % 2 === 0 ? 1 : 3, size(fh, strides[0]), size(fw, strides[1]), pick([2, 3, 5, 8, 13, 16])],
    filter: [fh, fw, 0, pick([3, 4, 16])],
    strides,
    pad,
  };
  c.filter[2] = c.x[3];
  c.name = `x${c.x.join('x')} f${c.filter.join('x')} s${c.strides.join(',')} ${c.pad}`;
  return c;
});

/** Strided input gradients with several input channels, the ones computed by sub-pixel phases: the random
 *  ones, hand-picked edge cases, and the VGG-style network's three stride-2 convolutions at batch 2. */
export const PHASE_CASES: readonly ConvCase[] = [
  ...phaseRandom,
  { name: '1x1 stride 2 shortcut: three empty phases', x: [2, 9, 8, 8], filter: [1, 1, 8, 16], strides: [2, 2], pad: 'valid' },
  { name: '2 taps stride 3 valid: phase 2 empty', x: [1, 8, 8, 5], filter: [2, 2, 5, 4], strides: [3, 3], pad: 'valid' },
  { name: 'filter = stride, valid', x: [3, 10, 9, 13], filter: [2, 2, 13, 3], strides: [2, 2], pad: 'valid' },
  { name: 'filter = stride 3, pad 1', x: [1, 11, 7, 6], filter: [3, 3, 6, 16], strides: [3, 3], pad: 1 },
  { name: '3x3 stride 2 same, size 7 (top pad 1)', x: [2, 7, 7, 16], filter: [3, 3, 16, 16], strides: [2, 2], pad: 'same' },
  { name: 'input smaller than the stride', x: [2, 2, 1, 3], filter: [3, 2, 3, 4], strides: [3, 3], pad: 'same' },
  { name: '5x5 stride 2 pad 3', x: [1, 9, 12, 9], filter: [5, 5, 9, 4], strides: [2, 2], pad: 3 },
  { name: 'vgg 56x56x16 stride 2', x: [2, 56, 56, 16], filter: [3, 3, 16, 16], strides: [2, 2], pad: 'same' },
  { name: 'vgg 28x28x32 stride 2', x: [2, 28, 28, 32], filter: [3, 3, 32, 32], strides: [2, 2], pad: 'same' },
  { name: 'vgg 14x14x64 stride 2', x: [2, 14, 14, 64], filter: [3, 3, 64, 64], strides: [2, 2], pad: 'same' },
];
