import { describe, expect, test } from 'vitest';
import { phaseAxis } from '../../../src/kernels/conv/phases.js';

describe('phaseAxis', () => {
  test('3 taps, stride 2, same, size 56 (tfjs puts the odd pad at the bottom, so pad 0)', () => {
    // dx[2q] = dy[q]·w0 + dy[q-1]·w2; dx[2q+1] = dy[q]·w1.
    expect(phaseAxis(0, 3, 2, 0, 56)).toEqual({ taps: 2, extent: 28, first: 0, pad: 1 });
    expect(phaseAxis(1, 3, 2, 0, 56)).toEqual({ taps: 1, extent: 28, first: 1, pad: 0 });
  });

  test('3 taps, stride 2, pad 1, size 7: phase 0 gives rows 1, 3, 5, phase 1 rows 0, 2, 4, 6', () => {
    // dx[1] = dy[0]·w2 + dy[1]·w0: u = 0 reads dy[0 + t - 0] with tap r + s·(T-1-t) = 2, 0.
    expect(phaseAxis(0, 3, 2, 1, 7)).toEqual({ taps: 2, extent: 3, first: 1, pad: 0 });
    expect(phaseAxis(1, 3, 2, 1, 7)).toEqual({ taps: 1, extent: 4, first: 0, pad: 0 });
  });

  test('2 taps, stride 3, valid, size 8: phase 2 has no taps and covers rows 2 and 5', () => {
    expect(phaseAxis(2, 2, 3, 0, 8)).toEqual({ taps: 0, extent: 2, first: 2, pad: -1 });
  });

  test('the phases of an axis partition it, for every stride, filter, pad and size', () => {
    for (let s = 1; s <= 4; s++) {
      for (let f = 1; f <= 6; f++) {
        for (let p = 0; p <= 4; p++) {
          for (let size = 1; size <= 12; size++) {
            const hit = new Array<number>(size).fill(0);
            for (let r = 0; r < s; r++) {
              const a = phaseAxis(r, f, s, p, size);
              expect(a.first).toBeGreaterThanOrEqual(0);
              for (let u = 0; u < a.extent; u++) {
                const i = a.first + s * u;
                expect((i + p) % s).toBe(r);
                hit[i]!++;
              }
            }
            expect(hit).toEqual(new Array<number>(size).fill(1));
          }
        }
      }
    }
  });

  test('per phase, the stride-1 correlation with the sub-filter gives the scattered input gradient (1-D)', () => {
    for (let s = 1; s <= 4; s++) {
      for (let f = 1; f <= 6; f++) {
        for (let p = 0; p <= 4; p++) {
          for (let size = 1; size <= 12; size++) {
            const out = Math.floor((size + 2 * p - f) / s) + 1;
            if (out <= 0) continue;
            const dy = Array.from({ length: out }, (_, o) => ((o * 7 + 3) % 11) - 5);
            const w = Array.from({ length: f }, (_, k) => ((k * 5 + 1) % 7) - 3);
            // The forward y[o] = Σ_k x[o·s − p + k]·w[k], differentiated: scatter dy back.
            const want = new Array<number>(size).fill(0);
            for (let o = 0; o < out; o++) {
              for (let k = 0; k < f; k++) {
                const i = o * s - p + k;
                if (i >= 0 && i < size) want[i]! += dy[o]! * w[k]!;
              }
            }
            const got = new Array<number>(size).fill(Number.NaN);
            for (let r = 0; r < s; r++) {
              const a = phaseAxis(r, f, s, p, size);
              for (let u = 0; u < a.extent; u++) {
                let sum = 0;
                for (let t = 0; t < a.taps; t++) {
                  const o = u + t - a.pad;
                  if (o >= 0 && o < out) sum += dy[o]! * w[r + s * (a.taps - 1 - t)]!;
                }
                got[a.first + s * u] = sum;
              }
            }
            expect(got).toEqual(want);
          }
        }
      }
    }
  });
});
