import { afterAll, describe, expect, it } from 'vitest';
import { compileKernels, createKernelMemory, enableRelaxedSimd, instantiateKernels } from '../../../src/kernels/gemm/loader.js';
import { gemmTilesCall } from '../../../src/kernels/gemm/plan.js';
import { KernelPool } from '../../../src/kernels/runtime/pool.js';
import { KernelArena } from '../../support/kernels/arena.js';
import { matmulReference, maxRelativeError } from '../../support/kernels/gemm_reference.js';
import { type GemmProblem, gemmFlags, placeGemm } from '../../support/kernels/gemm_run.js';
import { KERNEL_ISAS } from '../../support/kernels/network_shapes.js';
import { randomNonZero } from './random.js';

// Real worker threads on one shared memory, on shapes that cross every cache block (KC = NC = 384,
// 16-strip A blocks) and split along M and along N: a race on C or on scratch would show here.
const relaxedOk = enableRelaxedSimd();
const pools: KernelPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

// [M, K, N, transposeA, transposeB]
const cases: ReadonlyArray<readonly [number, number, number, boolean, boolean]> = [
  [197, 390, 41, true, false],
  [45, 520, 530, false, true],
  [128, 700, 36, false, false],
  [300, 97, 300, true, true],
];

for (const isa of KERNEL_ISAS) {
  const skip = isa === 'relaxed' && !relaxedOk;
  describe.skipIf(skip)(
    `f32_gemm_tiles__wasmsimd on a 2-thread KernelPool (${isa} build)${skip ? ': relaxed SIMD does not validate in this Node' : ''}`,
    () => {
      it('matches the scalar reference when the threads split M or N', async () => {
        const { module } = compileKernels(isa);
        const memory = createKernelMemory(256);
        const kernels = instantiateKernels(module, memory);
        const pool = await KernelPool.create(module, memory, { threads: 2 });
        pools.push(pool);
        const arena = new KernelArena(memory);
        let seed = 40;
        for (const [m, k, n, transposeA, transposeB] of cases) {
          arena.reset();
          const rand = randomNonZero(seed++);
          const p: GemmProblem = { m, k, n, a: rand(m * k), b: rand(k * n), transposeA, transposeB, bias: rand(n), relu: true, c: rand(m * n) };
          const placed = placeGemm(kernels, arena, p);
          const stride = Math.ceil(kernels.f32_gemm_scratch_size(m, n, k) / 64) * 64;
          const scratch = arena.alloc(2 * stride);
          const operands = { m, n, k, a: placed.a, b: placed.b, c: placed.c, bias: placed.bias, flags: gemmFlags(p) };
          const { args, range } = gemmTilesCall(operands, kernels.f32_gemm_mr(), kernels.f32_gemm_nr(), scratch, stride);
          pool.parallelFor('f32_gemm_tiles__wasmsimd', args, range, 2);
          const want = matmulReference(p.a, p.b, m, k, n, transposeA, transposeB, p.bias, true, p.c);
          const { error, index } = maxRelativeError(arena.f32(placed.c, m * n), want);
          const where = `${isa} ${m}x${k}x${n} Aᵀ=${transposeA} Bᵀ=${transposeB}: max rel error ${error.toExponential(2)} at ${index}`;
          expect(error, where).toBeLessThanOrEqual(1e-5 * Math.sqrt(k));
        }
      });
    },
  );
}
