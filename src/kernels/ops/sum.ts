import { type KernelConfig, type SumAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { PARALLEL_MIN_ELEMENTS } from '../call/elementwise.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { tensorOffset } from '../call/wasm_heap.js';

/** Most row blocks one sum is cut into (each leaves a partial row in scratch). */
const MAX_BLOCKS = 64;
/** Row blocks are a multiple of this many rows (the kernel's run length, so runs never straddle blocks). */
const ROW_QUANTUM = 64;

/** How a [rows, cols] column sum is cut: the same for any thread count, so the result is too. */
export function planColumnSum(rows: number): { blockRows: number; blocks: number } {
  const blockRows = Math.max(ROW_QUANTUM, Math.ceil(rows / MAX_BLOCKS / ROW_QUANTUM) * ROW_QUANTUM);
  return { blockRows, blocks: Math.ceil(rows / blockRows) };
}

/**
 * Sum over leading axes of a float32 tensor (every bias gradient: over the batch, or over batch, height and
 * width of NHWC) as multi-threaded column sums; any other reduction runs tfjs's own kernel, which for these
 * axes would first transpose the whole tensor.
 */
export function sumConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Sum',
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as SumAttrs;
      const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
      const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
      const cols = x.shape.slice(axes.length).reduce((a, b) => a * b, 1);
      if (x.dtype !== 'float32' || !leading || rows === 0 || cols === 0) return runStockKernel('Sum', args);
      const ctx = kernelContext(args.backend);
      const outShape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
      const out = ctx.backend.makeOutput(outShape, 'float32');
      const { blockRows, blocks } = planColumnSum(rows);
      const partial = ctx.scratch(blocks * cols * 4);
      const tasks = rows * cols < PARALLEL_MIN_ELEMENTS ? 1 : blocks;
      ctx.pool.parallelFor(
        'f32_sum_rows_blocks__wasmsimd',
        [
          tensorOffset(ctx.backend, x), // x_offset
          rows, // rows
          cols, // cols
          blockRows, // block_rows
          partial, // partial_offset
        ],
        blocks,
        tasks,
      );
      ctx.pool.parallelFor(
        'f32_sum_partials__wasmsimd',
        [
          partial, // partial_offset
          blocks, // blocks
          cols, // cols
          tensorOffset(ctx.backend, out), // out_offset
        ],
        cols,
        1,
      );
      return out;
    },
  };
}
