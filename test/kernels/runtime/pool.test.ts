import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileKernelModule } from '../../../src/kernels/runtime/kernel_module.js';
import { KernelError, KernelPool } from '../../../src/kernels/runtime/pool.js';
import { compileTestKernels } from '../../support/kernels/compile_fixture.js';

let module: WebAssembly.Module;

beforeAll(async () => {
  module = await compileKernelModule(await compileTestKernels());
});

function sharedMemory(pages = 64): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true });
}

// A deterministic stand-in for random data (the values only need to differ from each other).
function pseudoRandom(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

describe.each([1, 2])('KernelPool with %i thread(s)', (threads) => {
  const memory = sharedMemory();
  let pool: KernelPool;

  beforeAll(async () => {
    pool = await KernelPool.create(module, memory, { threads });
  });
  afterAll(async () => {
    await pool.close();
  });

  test('every thread runs its broadcast call once, on the same memory', () => {
    const base = 4096;
    new Int32Array(memory.buffer, base, 2 * threads).fill(0);
    pool.broadcast('writeTag', [base]);
    const seen = Array.from(new Int32Array(memory.buffer, base, 2 * threads));
    const tags = Array.from({ length: threads }, (_, t) => 100 + t);
    expect(seen).toEqual([...tags, ...new Array<number>(threads).fill(threads)]);
  });

  test('a range is split into tasks that cover every index exactly once', () => {
    pool.broadcast('setTag', []);
    const range = 10_007;
    const counts = 8192;
    const owners = counts + 4 * range;
    for (const tasks of [1, 3, threads, 64, 20_000]) {
      new Int32Array(memory.buffer, counts, 2 * range).fill(0);
      pool.parallelFor('markRange', [counts, owners, 200], range, tasks);
      const visits = new Int32Array(memory.buffer, counts, range);
      expect(visits.every((v) => v === 1)).toBe(true);
      // Each index was done by a thread whose own instance carries the same index as its tag.
      const who = new Set(Array.from(new Int32Array(memory.buffer, owners, range)));
      for (const w of who) expect(Math.floor(w / 1000)).toBe(w % 1000);
    }
  });

  test('with enough work every thread takes a share', () => {
    pool.broadcast('setTag', []);
    const range = 4096;
    const counts = 8192;
    const owners = counts + 4 * range;
    // Scheduling on a shared machine is not ours to control: a few tries of ~20 ms each.
    let participants = 0;
    for (let attempt = 0; attempt < 5 && participants < threads; attempt++) {
      pool.parallelFor('markRange', [counts, owners, 5000], range, 64);
      participants = new Set(Array.from(new Int32Array(memory.buffer, owners, range), (w) => Math.floor(w / 1000))).size;
    }
    expect(participants).toBe(threads);
  });

  test('axpy split across threads equals a scalar reference', () => {
    for (const [n, tasks] of [
      [1, 1],
      [7, 2],
      [1000, 3],
      [100_003, 16],
      [262_144, threads],
    ] as const) {
      const x = 65536;
      const y = x + 4 * n;
      const xs = pseudoRandom(n, n);
      const ys = pseudoRandom(n, n + 1);
      const heap = new Float32Array(memory.buffer);
      heap.set(xs, x / 4);
      heap.set(ys, y / 4);
      const a = 0.75;
      pool.parallelFor('axpy', [a, x, y], n, tasks);
      const got = new Float32Array(memory.buffer, y, n);
      const want = ys.map((v, i) => Math.fround(Math.fround(a * xs[i]!) + v));
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });

  test('a trap in one thread is a KernelError on the caller, and the pool stays usable', () => {
    const victim = threads - 1; // a worker when there is one
    expect(() => pool.broadcast('trapOnThread', [victim])).toThrow(KernelError);
    try {
      pool.broadcast('trapOnThread', [victim]);
    } catch (error) {
      expect(error).toBeInstanceOf(KernelError);
      const e = error as KernelError;
      expect(e.thread).toBe(victim);
      expect(e.fnName).toBe('trapOnThread');
      expect(e.message).toMatch(/unreachable/);
    }
    expect(() => pool.parallelFor('trapInTask', [5], 64, 16)).toThrow(/task 1\b.*unreachable/s);
    pool.parallelFor('empty', [], 100, 8);
  });

  test('bad calls are refused before any thread is woken', () => {
    expect(() => pool.parallelFor('nope', [], 10)).toThrow(/no function export nope/);
    expect(() => pool.parallelFor('empty', [], 10, 0)).toThrow(RangeError);
    expect(() => pool.parallelFor('empty', [], 10, Number.NaN)).toThrow(RangeError);
    expect(() => pool.parallelFor('empty', [], -1)).toThrow(RangeError);
    expect(() => pool.parallelFor('empty', new Array<number>(100).fill(0), 10)).toThrow(RangeError);
    pool.parallelFor('empty', [], 0); // an empty range is a no-op
    pool.parallelFor('empty', [], 3, 1000); // more tasks than indices: one index each
  });
});

describe('KernelPool failure modes', () => {
  test('a hung worker fails the call after the stall timeout instead of hanging, and close() ends it', async () => {
    const memory = sharedMemory();
    const pool = await KernelPool.create(module, memory, { threads: 2, stallTimeoutMs: 300 });
    const flag = 1024;
    new Int32Array(memory.buffer, flag, 1)[0] = 0;
    const started = performance.now();
    expect(() => pool.broadcast('hangOnThread', [1, flag])).toThrow(/no progress for 300 ms/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(() => pool.parallelFor('empty', [], 4)).toThrow(/no progress/);
    await pool.close();
  });

  test('threads must be in range, and a closed pool refuses calls', async () => {
    await expect(KernelPool.create(module, sharedMemory(), { threads: 0 })).rejects.toThrow(RangeError);
    const pool = await KernelPool.create(module, sharedMemory(), { threads: 2 });
    await pool.close();
    await pool.close();
    expect(() => pool.parallelFor('empty', [], 4)).toThrow(/closed/);
  });

  test('a memory the kernels cannot import is refused before any thread starts', async () => {
    const unshared = new WebAssembly.Memory({ initial: 1, maximum: 16 });
    await expect(KernelPool.create(module, unshared, { threads: 2 })).rejects.toThrow(/cannot import this memory/);
  });

  test('a module whose memory cannot be shared is refused with a hint', async () => {
    // (module (memory 1)) : defines its own memory.
    const ownMemory = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 0, 1]);
    await expect(compileKernelModule(ownMemory)).rejects.toThrow(/defines its own memory/);
  });
});
