// Single-thread GFLOP/s of f32_gemm__wasmsimd, both builds, at the exact GEMMs of one training step with
// batch 128 (see matmul_shapes.ts). Run: npx tsx bench/kernels/matmul.bench.ts [name-filter]
import { Bench } from 'tinybench';
import { enableRelaxedSimd, loadKernels } from '../../src/kernels/gemm/loader.js';
import { KernelArena } from '../../test/support/kernels/arena.js';
import { callGemm, placeGemm } from '../../test/support/kernels/gemm_run.js';
import { KERNEL_ISAS } from '../../test/support/kernels/network_shapes.js';
import { benchValues, gflops, matmulShapes, shapeProblem } from './matmul_shapes.js';

const filter = process.argv[2];
const selected = matmulShapes.filter((s) => filter === undefined || s.name.includes(filter));
const relaxedOk = enableRelaxedSimd();
if (!relaxedOk) console.log('relaxed SIMD does not validate in this Node: benchmarking the simd build only');
const isas = KERNEL_ISAS.filter((isa) => isa !== 'relaxed' || relaxedOk);

const results = new Map<string, number>();
for (const isa of isas) {
  const kernels = loadKernels(isa);
  const arena = new KernelArena(kernels.memory);
  // V8 first runs wasm from its baseline compiler and tiers hot functions up to TurboFan in the
  // background; without this the first shape is timed partly on baseline code (29 vs 49 GFLOP/s).
  const warm = { m: 96, k: 256, n: 256, a: benchValues(96 * 256, 4), b: benchValues(256 * 256, 5) };
  const warmAt = placeGemm(kernels.exports, arena, warm);
  for (const end = performance.now() + 300; performance.now() < end; ) callGemm(kernels.exports, warm, warmAt);
  for (const s of selected) {
    arena.reset();
    const p = shapeProblem(s);
    const placed = placeGemm(kernels.exports, arena, p);
    const bench = new Bench({ time: 400, warmupTime: 100 });
    bench.add(s.name, () => callGemm(kernels.exports, p, placed));
    await bench.run();
    const result = bench.tasks[0]?.result;
    if (result === undefined || !('latency' in result)) throw new Error(`${isa} ${s.name}: no result`);
    // The median, not the mean: the 2 cores are shared, and other work stretches some runs a lot.
    results.set(`${isa} ${s.name}`, gflops(s, result.latency.p50));
  }
}

console.log(`\nf32_gemm, 1 thread, GFLOP/s at the median run time (Node ${process.version})`);
console.log(`${'GEMM'.padEnd(28)}${'M x K x N'.padEnd(20)}${isas.map((i) => i.padStart(9)).join('')}`);
for (const s of selected) {
  const cells = isas.map((isa) => (results.get(`${isa} ${s.name}`) ?? 0).toFixed(1).padStart(9)).join('');
  console.log(`${s.name.padEnd(28)}${`${s.m} x ${s.k} x ${s.n}`.padEnd(20)}${cells}`);
}
