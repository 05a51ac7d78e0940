// Does f32_gemm__wasmsimd scale from 1 to 2 threads? Times the same GEMMs (matmul_shapes.ts) on the calling
// thread alone and on a 2-thread KernelPool, alternating 25 ms blocks of each so that load from
// other processes hits both alike, and prints median GFLOP/s and the speedup. Needs two idle cores to
// mean anything. Run: npx tsx bench/kernels/matmul_threads.bench.ts [relaxed|simd] [name-filter]

import { compileKernels, createKernelMemory, instantiateKernels, type KernelIsa } from '../../src/kernels/gemm/loader.js';
import { gemmTilesCall, planGemmSplit } from '../../src/kernels/gemm/plan.js';
import { KernelPool } from '../../src/kernels/runtime/pool.js';
import { KernelArena } from '../../test/support/kernels/arena.js';
import { gemmFlags, placeGemm } from '../../test/support/kernels/gemm_run.js';
import { median } from '../stats.js';
import { gflops, matmulShapes, shapeProblem } from './matmul_shapes.js';

const isa: KernelIsa = process.argv[2] === 'simd' ? 'simd' : 'relaxed';
const filter = process.argv[3];
const threads = 2;
const { module } = compileKernels(isa);
const memory = createKernelMemory(1024);
const kernels = instantiateKernels(module, memory);
const arena = new KernelArena(memory);
const pool = await KernelPool.create(module, memory, { threads });

console.log(`f32_gemm__wasmsimd (${isa}), GFLOP/s at the median of alternating runs, 1 vs ${threads} threads`);
console.log(`${'GEMM'.padEnd(28)}${'M x K x N'.padEnd(20)}${'split'.padEnd(6)}${'1T'.padStart(7)}${'2T'.padStart(7)}${'x'.padStart(6)}`);
for (const s of matmulShapes.filter((x) => filter === undefined || x.name.includes(filter))) {
  arena.reset();
  const p = shapeProblem(s);
  const placed = placeGemm(kernels, arena, p);
  const stride = Math.ceil(kernels.f32_gemm_scratch_size(s.m, s.n, s.k) / 64) * 64;
  const scratch = arena.alloc(stride * threads);
  const operands = { m: s.m, n: s.n, k: s.k, a: placed.a, b: placed.b, c: placed.c, bias: placed.bias, flags: gemmFlags(p) };
  const { args, range } = gemmTilesCall(operands, kernels.f32_gemm_mr(), kernels.f32_gemm_nr(), scratch, stride);
  const split = planGemmSplit(s.m, s.n, kernels.f32_gemm_mr(), kernels.f32_gemm_nr());
  // The calling thread alone runs every tile as thread 0 through the same entry point.
  const fn = kernels.f32_gemm_tiles__wasmsimd as unknown as (...xs: number[]) => void;
  const one = (): void => fn(...args, 0, range, 0);
  const two = (): void => pool.parallelFor('f32_gemm_tiles__wasmsimd', args, range, threads);
  // Alternate blocks of back-to-back calls: within a block the pool's threads stay awake, as in
  // training, where one call alternating with single-thread work would time their wake-up instead.
  const t1: number[] = [];
  const t2: number[] = [];
  const block = (fn: () => void, into: number[]): void => {
    for (const end = performance.now() + 25; performance.now() < end; ) {
      const t0 = performance.now();
      fn();
      into.push(performance.now() - t0);
    }
  };
  block(one, []);
  block(two, []);
  for (const end = performance.now() + 1000; performance.now() < end || t1.length < 7; ) {
    block(one, t1);
    block(two, t2);
  }
  const g1 = gflops(s, median(t1));
  const g2 = gflops(s, median(t2));
  console.log(
    `${s.name.padEnd(28)}${`${s.m} x ${s.k} x ${s.n}`.padEnd(20)}${(split.alongN ? 'N' : 'M').padEnd(6)}${g1.toFixed(1).padStart(7)}${g2.toFixed(1).padStart(7)}${(g2 / g1).toFixed(2).padStart(6)}`,
  );
}
await pool.close();
