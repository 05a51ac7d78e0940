// Seeded random matrices for the GEMM tests: reproducible, and never zero, so a kernel that
// skips or drops a term cannot hide behind a zero operand.

/** A deterministic generator of floats in ±[0.05, 1] (mulberry32). */
export function randomNonZero(seed: number): (length: number) => Float32Array {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (length) => {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const magnitude = 0.05 + 0.95 * next();
      out[i] = next() < 0.5 ? -magnitude : magnitude;
    }
    return out;
  };
}
