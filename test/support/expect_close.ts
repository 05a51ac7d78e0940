import { expect } from 'vitest';

/**
 * Checks a fast result against a reference, elementwise, relative to the reference's largest magnitude
 * (at least 1), and reports the largest difference and where it is when they disagree (llm.c's check_tensor).
 */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance: number): number {
  expect(got.length).toBe(want.length);
  let scale = 1;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const diff = Math.abs(got[i]! - want[i]!) / scale;
    if (!(diff <= worst)) {
      worst = diff;
      at = i;
    }
  }
  const nonZero = Array.from(want).some((v) => v !== 0);
  expect(nonZero, 'the reference is all zeros: the check would prove nothing').toBe(true);
  expect(worst, `largest relative difference ${worst} at index ${at}: got ${got[at]}, want ${want[at]}`).toBeLessThanOrEqual(tolerance);
  return worst;
}

/**
 * Checks that two float32 results are the same bit for bit (so -0 differs from +0, and a NaN sentinel left
 * unwritten fails), and reports how many elements differ and the first of them.
 */
export function expectBitwise(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  expect(
    Array.from(want).some((v) => v !== 0),
    'the reference is all zeros: the check would prove nothing',
  ).toBe(true);
  const [a, b] = [new Uint32Array(got.buffer, got.byteOffset, got.length), new Uint32Array(want.buffer, want.byteOffset, want.length)];
  let differ = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      differ++;
      if (first < 0) first = i;
    }
  }
  expect(differ, `${differ} of ${a.length} elements differ; the first at ${first}: got ${got[first]}, want ${want[first]}`).toBe(0);
}
