import { type KernelConfig, type TensorInfo, type TileAttrs, util } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { PARALLEL_MIN_ELEMENTS } from '../call/elementwise.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { tensorOffset } from '../call/wasm_heap.js';

/** Outer axes the kernel's odometer walks; a shape that still has more after collapsing runs tfjs's own kernel. */
const OUTER_AXES = 4;
/** Tasks per thread of a large call, so a thread the busy machine slows takes fewer chunks. */
const TASKS_PER_THREAD = 4;

/** One axis of a tile: the input's extent and how many copies of it the output lays side by side. */
interface TileAxis {
  size: number;
  reps: number;
}

/**
 * The same tile over as few axes as possible: axes of extent 1 without copies go; an axis merges into the one
 * before it when it has no copies (the pair reads as one axis of the product's extent) or when the one before
 * has extent 1 (the pair is copies of the inner axis alone). The result has at least one axis.
 */
export function collapseTile(shape: readonly number[], reps: readonly number[]): TileAxis[] {
  const axes: TileAxis[] = [];
  for (const [d, size] of shape.entries()) {
    const axis = { size, reps: reps[d]! };
    if (axis.size === 1 && axis.reps === 1) continue;
    const before = axes[axes.length - 1];
    if (before !== undefined && axis.reps === 1) before.size *= axis.size;
    else if (before !== undefined && before.size === 1) axes[axes.length - 1] = { size: axis.size, reps: before.reps * axis.reps };
    else axes.push(axis);
  }
  return axes.length > 0 ? axes : [{ size: 1, reps: 1 }];
}

/**
 * Tile of a float32 or int32 tensor as row copies across threads (tfjs's batch-norm gradient tiles per-channel
 * vectors over whole activations); other dtypes, and shapes that keep more than five axes once collapsed, run
 * tfjs's own kernel.
 */
export function tileConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Tile',
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const { reps } = args.attrs as unknown as TileAttrs;
      if ((x.dtype !== 'float32' && x.dtype !== 'int32') || reps.length !== x.shape.length) return runStockKernel('Tile', args);
      const axes = collapseTile(x.shape, reps);
      const row = axes.pop()!;
      if (axes.length > OUTER_AXES) return runStockKernel('Tile', args);
      const ctx = kernelContext(args.backend);
      const out = ctx.backend.makeOutput(
        x.shape.map((d, i) => d * reps[i]!),
        x.dtype,
      );
      const total = util.sizeFromShape(out.shape);
      if (total === 0) return out;
      const outer = [...Array<TileAxis>(OUTER_AXES - axes.length).fill({ size: 1, reps: 1 }), ...axes];
      const copies = outer.reduce((n, a) => n * a.size * a.reps, row.reps);
      const tasks = total < PARALLEL_MIN_ELEMENTS ? 1 : ctx.threads * TASKS_PER_THREAD;
      ctx.pool.parallelFor(
        'x32_tile__wasmsimd',
        [
          tensorOffset(ctx.backend, x), // x_offset
          tensorOffset(ctx.backend, out), // out_offset
          ...outer.map((a) => a.size * a.reps), // o0..o3
          ...outer.map((a) => a.size), // i0..i3
          row.size, // inner
          row.reps, // inner_reps
        ],
        copies,
        tasks,
      );
      return out;
    },
  };
}
