/** A seeded source of random numbers; every draw is reproducible from the key that made it. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform integer in 0..n-1. */
  int(n: number): number;
  /** Standard normal (mean 0, deviation 1). */
  normal(): number;
}

/** Independent random streams of one sample, so adding draws to one stream never shifts another. */
export const Stream = { shuffle: 1, sample: 2, elastic: 3, noise: 4 } as const;

const TWO_32 = 4294967296;

// murmur3's finaliser: every input bit flips about half the output bits, so neighbouring
// sample indices get unrelated generator states.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A generator for (seed, index, stream): the same triple always yields the same sequence, on any thread. */
export function createRng(seed: number, index: number, stream: number): Rng {
  const seedLo = seed >>> 0;
  const seedHi = Math.floor(seed / TWO_32) >>> 0;
  let key = fmix32(seedLo ^ 0x9e3779b9);
  key = fmix32(key ^ seedHi ^ 0x7f4a7c15);
  key = fmix32(key ^ (index >>> 0) ^ 0x2545f491);
  key = fmix32(key ^ Math.floor(index / TWO_32) ^ 0x6a09e667);
  key = fmix32(key ^ stream ^ 0xbb67ae85);
  // sfc32: small, fast, passes PractRand well beyond the few hundred draws a sample needs.
  let a = fmix32(key + 0x3c6ef372);
  let b = fmix32(key + 0xa54ff53a);
  let c = fmix32(key + 0x510e527f);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / TWO_32;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
    normal: () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}

/** Balanced labels (sample i has class i % classes) in an order shuffled by the seed. */
export function shuffledLabels(samples: number, classes: number, seed: number): Uint8Array {
  const labels = new Uint8Array(samples);
  for (let i = 0; i < samples; i++) labels[i] = i % classes;
  const rng = createRng(seed, 0, Stream.shuffle);
  for (let i = samples - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = labels[i]!;
    labels[i] = labels[j]!;
    labels[j] = t;
  }
  return labels;
}
