// Single-thread GFLOP/s of f32_gemm, both builds, at the exact GEMMs of one training step with
// batch 128: the FC net's forward, dW = xᵀ·dy and dx = dy·Wᵀ per layer, and the CNN's im2col
// GEMMs on an 8-image slice. Run: npx tsx bench/kernels/matmul.bench.ts [name-filter]
import { Bench } from 'tinybench';
import { KernelArena } from '../../src/kernels/gemm/arena.js';
import { enableRelaxedSimd, KERNEL_ISAS, loadKernels } from '../../src/kernels/gemm/loader.js';
import { callGemm, placeGemm, type GemmProblem } from '../../src/kernels/gemm/run.js';

interface Shape { name: string; m: number; k: number; n: number; transposeA?: boolean; transposeB?: boolean; biasRelu?: boolean }

const batch = 128;
const fcLayers: ReadonlyArray<readonly [number, number]> = [[3136, 700], [700, 700], [700, 500], [500, 500], [500, 36]];
const shapes: Shape[] = [];
fcLayers.forEach(([fanIn, fanOut], i) => {
  const layer = `fc${i + 1} ${fanIn}x${fanOut}`;
  shapes.push({ name: `${layer} fwd x·W+b relu`, m: batch, k: fanIn, n: fanOut, biasRelu: true });
  shapes.push({ name: `${layer} dW = xᵀ·dy`, m: fanIn, k: batch, n: fanOut, transposeA: true });
  shapes.push({ name: `${layer} dx = dy·Wᵀ`, m: batch, k: fanOut, n: fanIn, transposeB: true });
});
// im2col GEMMs: rows are output pixels; 8 of the 128 images keep the run short.
const slice = 8;
shapes.push({ name: 'conv2 im2col (8 img)', m: slice * 52 * 52, k: 144, n: 32, biasRelu: true });
shapes.push({ name: 'conv3 im2col (8 img)', m: slice * 24 * 24, k: 288, n: 64, biasRelu: true });
shapes.push({ name: 'conv4 im2col (8 img)', m: slice * 10 * 10, k: 576, n: 128, biasRelu: true });

const filter = process.argv[2];
const selected = shapes.filter((s) => filter === undefined || s.name.includes(filter));
const relaxedOk = enableRelaxedSimd();
if (!relaxedOk) console.log('relaxed SIMD does not validate in this Node: benchmarking the simd build only');
const isas = KERNEL_ISAS.filter((isa) => isa !== 'relaxed' || relaxedOk);

function fill(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.sin(i * 12.9898 + seed) * 0.5;
  return out;
}

const gflops = new Map<string, number>();
for (const isa of isas) {
  const kernels = loadKernels(isa);
  const arena = new KernelArena(kernels.memory);
  // V8 first runs wasm from its baseline compiler and tiers hot functions up to TurboFan in the
  // background; without this the first shape is timed partly on baseline code (29 vs 49 GFLOP/s).
  const warm = { m: 96, k: 256, n: 256, a: fill(96 * 256, 4), b: fill(256 * 256, 5) };
  const warmAt = placeGemm(kernels.exports, arena, warm);
  for (const end = performance.now() + 300; performance.now() < end;) callGemm(kernels.exports, warm, warmAt);
  for (const s of selected) {
    arena.reset();
    const p: GemmProblem = {
      m: s.m, k: s.k, n: s.n, a: fill(s.m * s.k, 1), b: fill(s.k * s.n, 2),
      transposeA: s.transposeA ?? false, transposeB: s.transposeB ?? false,
      ...(s.biasRelu ? { bias: fill(s.n, 3), relu: true } : {}),
    };
    const placed = placeGemm(kernels.exports, arena, p);
    const bench = new Bench({ time: 400, warmupTime: 100, retainSamples: false });
    bench.add(s.name, () => callGemm(kernels.exports, p, placed));
    await bench.run();
    const result = bench.tasks[0]?.result;
    if (result === undefined || !('latency' in result)) throw new Error(`${isa} ${s.name}: no result`);
    // Median latency in ms: the machine is shared, so the median resists other engineers' load.
    gflops.set(`${isa} ${s.name}`, (2 * s.m * s.n * s.k) / (result.latency.p50 * 1e6));
  }
}

const pad = (x: string, w: number): string => x.padEnd(w);
console.log(`\nf32_gemm, 1 thread, GFLOP/s from the median of each run (Node ${process.version})`);
console.log(`${pad('GEMM', 28)}${pad('M x K x N', 20)}${isas.map((i) => i.padStart(9)).join('')}`);
for (const s of selected) {
  const cells = isas.map((isa) => (gflops.get(`${isa} ${s.name}`) ?? 0).toFixed(1).padStart(9)).join('');
  console.log(`${pad(s.name, 28)}${pad(`${s.m} x ${s.k} x ${s.n}`, 20)}${cells}`);
}
