// Times every tfjs kernel of one backend by wrapping its registered kernelFunc: tfjs's engine looks a kernel
// up in the registry on every call, so a re-registered wrapper sees every dispatch. Kernels that dispatch
// other kernels through the engine are charged only their own (self) time.
import * as tf from '@tensorflow/tfjs-core';

/** Time and calls of one kernel with one set of input shapes. */
export interface KernelRow {
  kernel: string;
  /** Input shapes, e.g. `[128,3136] [3136,700]`. */
  shapes: string;
  calls: number;
  /** Self time in milliseconds, summed over every call. */
  ms: number;
}

/** A running timer over one backend's kernels. */
export interface KernelTimer {
  /** Everything recorded since the last reset. */
  rows(): KernelRow[];
  /** Total self time of all kernels since the last reset, in milliseconds. */
  totalMs(): number;
  /** The timer's own bookkeeping since the last reset (shape strings, row lookups), in milliseconds. */
  overheadMs(): number;
  reset(): void;
  /** Puts the original kernels back. */
  stop(): void;
}

/** The name of the wrapper frame, so a CPU profile can tell kernel time from time between kernels. */
export const KERNEL_FRAME = 'timedKernelFunc';

/** Wraps every kernel registered for `backendName` with a timer. */
export function timeKernels(backendName: string): KernelTimer {
  const originals = tf.getKernelsForBackend(backendName);
  const rows = new Map<string, KernelRow>();
  // Self time: a nested kernel's time is subtracted from the kernel that called it.
  const childMs: number[] = [];
  let overheadMs = 0;
  for (const config of originals) {
    const inner = config.kernelFunc;
    const kernel = config.kernelName;
    // A named function expression: V8's profiler names frames from source, not from a computed `name`.
    const wrapped = function timedKernelFunc(params: Parameters<tf.KernelFunc>[0]): ReturnType<tf.KernelFunc> {
      childMs.push(0);
      const start = performance.now();
      try {
        return inner(params);
      } finally {
        const elapsed = performance.now() - start;
        const self = elapsed - childMs.pop()!;
        const shapes = describeInputs(params.inputs);
        const key = `${kernel} ${shapes}`;
        const row = rows.get(key) ?? { kernel, shapes, calls: 0, ms: 0 };
        row.calls++;
        row.ms += self;
        rows.set(key, row);
        // Measured, so that the step's time outside kernels can leave it out; a calling kernel's self time
        // leaves it out too.
        const total = performance.now() - start;
        overheadMs += total - elapsed;
        if (childMs.length > 0) childMs[childMs.length - 1]! += total;
      }
    };
    tf.unregisterKernel(kernel, backendName);
    tf.registerKernel({ ...config, kernelFunc: wrapped });
  }
  return {
    rows: () => [...rows.values()],
    totalMs: () => [...rows.values()].reduce((sum, row) => sum + row.ms, 0),
    overheadMs: () => overheadMs,
    reset() {
      rows.clear();
      overheadMs = 0;
    },
    stop() {
      for (const config of originals) {
        tf.unregisterKernel(config.kernelName, backendName);
        tf.registerKernel(config);
      }
    },
  };
}

function describeInputs(inputs: tf.NamedTensorInfoMap): string {
  return Object.values(inputs)
    .map((t) => (t === undefined ? '-' : `[${t.shape.join(',')}]`))
    .join(' ');
}

/** Rows merged by kernel name, each keeping its costliest shapes, costliest first. */
export function byKernel(rows: readonly KernelRow[]): KernelRow[] {
  const merged = new Map<string, KernelRow & { top: number }>();
  for (const row of rows) {
    const into = merged.get(row.kernel);
    if (into === undefined) {
      merged.set(row.kernel, { ...row, top: row.ms });
      continue;
    }
    into.calls += row.calls;
    into.ms += row.ms;
    if (row.ms > into.top) {
      into.top = row.ms;
      into.shapes = row.shapes;
    }
  }
  return [...merged.values()].map(({ top: _top, ...row }) => row).sort((a, b) => b.ms - a.ms);
}
