// The tfjs kernel configs of our elementwise float32 ops (Multiply, Add, Sub, RealDiv; Square, Sqrt, Relu, Tanh,
// Sigmoid, Elu), and the
// operand shapes the binary ones take: one shape, a scalar on either side, or a vector along the last axis on
// either side. tfjs's optimizers, batch norm's moments and gradient, and the losses use only these; every other
// case runs tfjs's own kernel.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from './context.js';
import { PARALLEL_MIN_ELEMENTS, runElementwise, sizeOf } from './elementwise.js';
import { runStockKernel } from './stock_kernel.js';
import { heapF32, tensorOffset } from './wasm_heap.js';

type KernelArgs = Parameters<KernelFunc>[0];

/**
 * The WASM exports of one binary op, by broadcast form. Each takes the larger operand first; the `…First` forms
 * compute `small op big` (s - a, v / a), and for a commutative op name the same export as their plain form.
 */
export interface BinaryExports {
  /** (a, b, out, n): a op b. */
  same: string;
  /** (a, s, out, n): a op s. */
  scalar: string;
  /** (a, s, out, n): s op a. */
  scalarFirst: string;
  /** (a, v, out, n, c): a op v[i mod c]. */
  channels: string;
  /** (a, v, out, n, c): v[i mod c] op a. */
  channelsFirst: string;
}

/** How a float32 binary op's operands broadcast, when one of our kernels takes them. */
type BinaryForm = { kind: 'same' } | { kind: 'scalar' | 'channels'; big: TensorInfo; small: TensorInfo; smallFirst: boolean };

/** Whether `vector` broadcasts along `big`'s last axis only: [.., 1, C] against [.., C], of no higher rank. */
function isChannelVector(vector: TensorInfo, big: TensorInfo): boolean {
  const rank = vector.shape.length;
  if (rank === 0 || rank > big.shape.length) return false;
  const c = big.shape[big.shape.length - 1]!;
  return vector.shape[rank - 1] === c && vector.shape.every((d, i) => i === rank - 1 || d === 1);
}

/** The form of `a op b` our kernels take, or undefined for the stock kernel's cases. */
function binaryForm(a: TensorInfo, b: TensorInfo): BinaryForm | undefined {
  if (a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i])) return { kind: 'same' };
  const na = sizeOf(a);
  const nb = sizeOf(b);
  // A scalar side may be [] or [1, ..., 1]; the output takes the larger rank, as broadcasting would.
  if (na === 1 && a.shape.length <= b.shape.length) return { kind: 'scalar', big: b, small: a, smallFirst: true };
  if (nb === 1 && b.shape.length <= a.shape.length) return { kind: 'scalar', big: a, small: b, smallFirst: false };
  if (isChannelVector(b, a)) return { kind: 'channels', big: a, small: b, smallFirst: false };
  if (isChannelVector(a, b)) return { kind: 'channels', big: b, small: a, smallFirst: true };
  return undefined;
}

/**
 * A float32 binary op across threads through `exports`, for operands of one shape, a scalar on either side or a
 * vector along the last axis on either side; other broadcasts and dtypes run tfjs's own kernel. Outputs are
 * always fresh: an input's data is never written, whoever else holds it.
 */
export function binaryKernelConfig(kernelName: string, backendName: string, exports: BinaryExports): KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const form = a.dtype === 'float32' && b.dtype === 'float32' ? binaryForm(a, b) : undefined;
      if (form === undefined) return runStockKernel(kernelName, args);
      return runBinary(args, form, a, b, exports);
    },
  };
}

function runBinary(args: KernelArgs, form: BinaryForm, a: TensorInfo, b: TensorInfo, exports: BinaryExports): TensorInfo {
  const ctx = kernelContext(args.backend);
  const heap = ctx.backend;
  const big = form.kind === 'same' ? a : form.big;
  const n = sizeOf(big);
  const out = heap.makeOutput(big.shape, 'float32');
  if (form.kind === 'same') {
    runElementwise(
      ctx,
      exports.same,
      [
        tensorOffset(heap, a), // a_offset
        tensorOffset(heap, b), // b_offset
        tensorOffset(heap, out), // out_offset
        n, // n
      ],
      n,
    );
  } else if (form.kind === 'scalar') {
    // Read after makeOutput, which may grow the heap and detach an earlier view.
    const s = heapF32(heap)[tensorOffset(heap, form.small) / 4]!;
    runElementwise(
      ctx,
      form.smallFirst ? exports.scalarFirst : exports.scalar,
      [
        tensorOffset(heap, big), // a_offset
        s, // s
        tensorOffset(heap, out), // out_offset
        n, // n
      ],
      n,
    );
  } else {
    runElementwise(
      ctx,
      form.smallFirst ? exports.channelsFirst : exports.channels,
      [
        tensorOffset(heap, big), // a_offset
        tensorOffset(heap, form.small), // b_offset
        tensorOffset(heap, out), // out_offset
        n, // n
        big.shape[big.shape.length - 1]!, // c
      ],
      n,
    );
  }
  return out;
}

/**
 * A float32 unary op across threads through export `fn` (x, out, n), split from `minParallel` elements
 * (MATH_PARALLEL_MIN_ELEMENTS for the compute-bound ones); other dtypes run tfjs's own kernel.
 */
export function unaryKernelConfig(kernelName: string, backendName: string, fn: string, minParallel = PARALLEL_MIN_ELEMENTS): KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype !== 'float32') return runStockKernel(kernelName, args);
      const ctx = kernelContext(args.backend);
      const out = ctx.backend.makeOutput(x.shape, 'float32');
      const n = sizeOf(x);
      runElementwise(
        ctx,
        fn,
        [
          tensorOffset(ctx.backend, x), // x_offset
          tensorOffset(ctx.backend, out), // out_offset
          n, // n
        ],
        n,
        minParallel,
      );
      return out;
    },
  };
}
