import { describe, expect, it } from 'vitest';
import { enableRelaxedSimd, type LoadedKernels, loadKernels } from '../../../src/kernels/gemm/loader.js';
import { type GemmRange, gemmTilesCall, planGemmRanges, planGemmSplit } from '../../../src/kernels/gemm/plan.js';
import { KernelArena } from '../../support/kernels/arena.js';
import { matmulReference, maxRelativeError } from '../../support/kernels/gemm_reference.js';
import { type GemmProblem, gemmFlags, placeGemm, runGemm } from '../../support/kernels/gemm_run.js';
import { GEMM_TILES, KERNEL_ISAS } from '../../support/kernels/network_shapes.js';
import { randomNonZero } from './random.js';

// float32 rounding error of a K-term dot product grows like sqrt(K) ulps.
const tolerance = (k: number): number => 1e-5 * Math.sqrt(Math.max(k, 1));

const relaxedOk = enableRelaxedSimd();

interface Options {
  transposeA: boolean;
  transposeB: boolean;
  bias: boolean;
  relu: boolean;
  accumulate: boolean;
}

function problem(m: number, k: number, n: number, o: Options, seed: number): GemmProblem {
  const rand = randomNonZero(seed);
  return {
    m,
    k,
    n,
    a: rand(m * k),
    b: rand(k * n),
    transposeA: o.transposeA,
    transposeB: o.transposeB,
    ...(o.bias ? { bias: rand(n) } : {}),
    relu: o.relu,
    ...(o.accumulate ? { c: rand(m * n) } : {}),
  };
}

function reference(p: GemmProblem): Float32Array {
  return matmulReference(p.a, p.b, p.m, p.k, p.n, p.transposeA, p.transposeB, p.bias, p.relu, p.c);
}

function check(kernels: LoadedKernels, p: GemmProblem, label: string, ranges?: readonly GemmRange[]): number {
  const arena = new KernelArena(kernels.memory);
  const got = runGemm(kernels.exports, arena, p, ranges);
  const { error, index } = maxRelativeError(got, reference(p));
  const where = `${label}: max rel error ${error.toExponential(2)} at C[${Math.floor(index / p.n)}][${index % p.n}]`;
  expect(error, where).toBeLessThanOrEqual(tolerance(p.k));
  return error;
}

// Edge cases first: batch 1, K = 1, sizes off the 6/5 x 8 tile, exact tiles, then M crossing the
// 96/80-row A blocks and K, N crossing the 384-wide K and N blocks (shapes are [M, K, N]).
const shapes: ReadonlyArray<readonly [number, number, number]> = [
  [1, 1, 1],
  [1, 19, 37],
  [7, 1, 13],
  [13, 17, 29],
  [6, 16, 8],
  [5, 9, 8],
  [30, 40, 24],
  [101, 23, 19],
  [11, 259, 9],
  [1, 300, 700],
  [37, 520, 530],
  [197, 390, 41],
  [64, 3, 1030],
];

const combos: Options[] = [];
for (const transposeA of [false, true]) {
  for (const transposeB of [false, true]) {
    combos.push({ transposeA, transposeB, bias: false, relu: false, accumulate: false });
    combos.push({ transposeA, transposeB, bias: true, relu: true, accumulate: false });
    combos.push({ transposeA, transposeB, bias: true, relu: false, accumulate: true });
  }
}

const flagText = (o: Options): string =>
  `${o.transposeA ? 'Aᵀ' : 'A'}·${o.transposeB ? 'Bᵀ' : 'B'}${o.bias ? '+bias' : ''}${o.relu ? ' relu' : ''}${o.accumulate ? ' +=C' : ''}`;

for (const isa of KERNEL_ISAS) {
  const skip = isa === 'relaxed' && !relaxedOk;
  describe.skipIf(skip)(`f32_gemm__wasmsimd (${isa} build)${skip ? ': relaxed SIMD does not validate in this Node' : ''}`, () => {
    const kernels = skip ? undefined : loadKernels(isa);
    const get = (): LoadedKernels => {
      if (kernels === undefined) throw new Error('kernels not loaded');
      return kernels;
    };

    it('reports its ISA and tile', () => {
      const k = get().exports;
      expect(k.kernels_isa()).toBe(isa === 'relaxed' ? 1 : 0);
      expect(k.f32_gemm_mr()).toBe(GEMM_TILES[isa].mr);
      expect(k.f32_gemm_nr()).toBe(GEMM_TILES[isa].nr);
    });

    it('matches the scalar reference on every shape and transpose/bias/ReLU/accumulate combination', () => {
      let worst = 0;
      let seed = 1;
      for (const [m, k, n] of shapes) {
        for (const o of combos) worst = Math.max(worst, check(get(), problem(m, k, n, o, seed++), `${isa} ${m}x${k}x${n} ${flagText(o)}`));
      }
      console.log(`${isa}: largest relative error over ${shapes.length * combos.length} GEMMs: ${worst.toExponential(2)}`);
    });

    it('handles K = 0 as C = (C) + bias, then ReLU', () => {
      check(get(), problem(9, 0, 11, { transposeA: false, transposeB: false, bias: true, relu: true, accumulate: true }, 99), `${isa} K=0`);
    });

    it('computes the same C from disjoint ranges run one after another as from one call', () => {
      const o: Options = { transposeA: false, transposeB: true, bias: true, relu: true, accumulate: false };
      for (const [m, k, n] of [
        [45, 70, 61],
        [130, 33, 20],
      ] as const) {
        for (const transposeA of [false, true]) {
          const p = problem(m, k, n, { ...o, transposeA }, m + n);
          const arena = new KernelArena(get().memory);
          const whole = runGemm(get().exports, arena, p);
          // Ranges off the tile grid and in 2D, as well as the planner's tile-aligned split.
          const ragged: GemmRange[] = [
            { m0: 0, m1: 17, n0: 0, n1: 29 },
            { m0: 0, m1: 17, n0: 29, n1: n },
            { m0: 17, m1: m, n0: 0, n1: 3 },
            { m0: 17, m1: m, n0: 3, n1: n },
          ];
          const mr = get().exports.f32_gemm_mr();
          for (const ranges of [ragged, planGemmRanges(m, n, 2, mr, 8), planGemmRanges(m, n, 3, mr, 8)]) {
            arena.reset();
            const split = runGemm(get().exports, arena, p, ranges);
            expect(Array.from(split)).toEqual(Array.from(whole));
          }
        }
      }
    });

    it('f32_gemm_tiles__wasmsimd, called as the thread pool would with gemmTilesCall arguments, equals the reference', () => {
      const k = get().exports;
      for (const [m, kk, n, transposeA] of [
        [3136 / 16, 40, 70, true],
        [45, 33, 300, false],
      ] as const) {
        const p = problem(m, kk, n, { transposeA, transposeB: !transposeA, bias: true, relu: true, accumulate: true }, 7);
        const arena = new KernelArena(get().memory);
        const placed = placeGemm(k, arena, p);
        const stride = Math.ceil(k.f32_gemm_scratch_size(m, n, kk) / 64) * 64;
        const scratch = arena.alloc(3 * stride);
        const operands = { m, n, k: kk, a: placed.a, b: placed.b, c: placed.c, bias: placed.bias, flags: gemmFlags(p) };
        const { args, range } = gemmTilesCall(operands, k.f32_gemm_mr(), k.f32_gemm_nr(), scratch, stride);
        expect(range).toBe(planGemmSplit(m, n, k.f32_gemm_mr(), k.f32_gemm_nr()).tiles);
        const tiles = k.f32_gemm_tiles__wasmsimd as unknown as (...xs: number[]) => void;
        // Three uneven chunks on "threads" 2, 0, 1, with the pool's trailing lo, hi, thread.
        const cuts = [0, 1, Math.floor(range / 2), range];
        [2, 0, 1].forEach((thread, i) => {
          tiles(...args, cuts[i] ?? 0, cuts[i + 1] ?? 0, thread);
        });
        const { error } = maxRelativeError(arena.f32(placed.c, m * n), reference(p));
        expect(error, `${isa} tiles ${m}x${kk}x${n}: max rel error ${error.toExponential(2)}`).toBeLessThanOrEqual(tolerance(kk));
      }
    });
  });
}

describe('planGemmRanges', () => {
  it('splits the larger output dimension on tile boundaries and covers C exactly once', () => {
    expect(planGemmRanges(128, 700, 2, 6, 8)).toEqual([
      { m0: 0, m1: 128, n0: 0, n1: 352 },
      { m0: 0, m1: 128, n0: 352, n1: 700 },
    ]);
    expect(planGemmRanges(3136, 700, 2, 6, 8)).toEqual([
      { m0: 0, m1: 1566, n0: 0, n1: 700 },
      { m0: 1566, m1: 3136, n0: 0, n1: 700 },
    ]);
    expect(planGemmRanges(1, 1, 4, 6, 8)).toEqual([{ m0: 0, m1: 1, n0: 0, n1: 1 }]);
  });
});
