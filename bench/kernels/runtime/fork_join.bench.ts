// Fork-join overhead of KernelPool: `npx tsx bench/kernels/runtime/fork_join.bench.ts`.
// Times empty calls (no kernel work) so that only publishing, waking, claiming and joining remain.
// The machine is shared: every figure is the median of several rounds' medians.
import { compileKernelModule } from '../../../src/kernels/runtime/kernel_module.js';
import { KernelPool } from '../../../src/kernels/runtime/pool.js';
import { compileTestKernels } from '../../../test/support/kernels/compile_fixture.js';
import { THREAD_COUNTS } from '../../../test/support/kernels/network_shapes.js';
import { median } from '../../stats.js';

const ROUNDS = 7;
const CALLS = 5000;
const SLEEPY_CALLS = 300;

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Median µs per call over `calls` calls, with an optional idle gap (not timed) before each. */
function time(call: () => void, calls: number, gapMs = 0): number {
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    if (gapMs > 0) pause(gapMs);
    const t = performance.now();
    call();
    samples.push((performance.now() - t) * 1000);
  }
  return median(samples);
}

const module = await compileKernelModule(await compileTestKernels());
const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
const rows: string[] = [];
for (const threads of THREAD_COUNTS) {
  for (const spinIterations of [20_000, 5_000, 0]) {
    if (threads === 1 && spinIterations !== 5_000) continue;
    const pool = await KernelPool.create(module, memory, { threads, spinIterations });
    const cases: Record<string, () => number> = {
      'parallelFor empty, back to back': () => time(() => pool.parallelFor('empty', [], 1024, threads), CALLS),
      'broadcast (every thread runs), back to back': () => time(() => pool.broadcast('setTag', []), CALLS),
      'broadcast after 2 ms idle (workers asleep)': () => time(() => pool.broadcast('setTag', []), SLEEPY_CALLS, 2),
    };
    for (const [label, run] of Object.entries(cases)) {
      run(); // warm-up round: JIT and first wake-ups
      const medians = Array.from({ length: ROUNDS }, run);
      rows.push(
        `threads=${threads} spin=${spinIterations} | ${label}: ${median(medians).toFixed(2)} µs (rounds ${medians.map((m) => m.toFixed(1)).join(' ')})`,
      );
    }
    await pool.close();
  }
}
console.log(rows.join('\n'));
