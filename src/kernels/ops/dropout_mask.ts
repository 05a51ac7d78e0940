// The maths of this project's stateless dropout, in plain TypeScript: the WASM kernel
// (src/kernels/assembly/dropout.ts) computes the same hash four lanes at a time, and backends without that
// kernel build their mask from these functions, so one (seed, counter) drops the same elements everywhere.

/** The two 32-bit keys of one dropout call, mixed from the layer's seed and the call's counter. */
export interface DropoutKeys {
  k0: number;
  k1: number;
}

/** A 32-bit integer finaliser (xor-shift-multiply), used to spread seeds and counters over all 32 bits. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Keys for call number `counter` of a dropout with this seed; seeds are taken modulo 2^32. */
export function dropoutKeys(seed: number, counter: number): DropoutKeys {
  const k0 = mix32(mix32(seed >>> 0) ^ mix32((counter >>> 0) + 0x632be5ab));
  const k1 = mix32(k0 + 0x9e3779b9);
  return { k0, k1 };
}

/** The 32-bit hash deciding element i's fate (the scalar form of the kernel's hash4). */
export function dropoutHash(i: number, { k0, k1 }: DropoutKeys): number {
  let h = Math.imul(i, 0x9e3779b9) ^ k0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
  h = ((h ^ (h >>> 15)) + k1) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** An element is kept when its hash is below this: round((1 - rate) * 2^32), so it is kept with probability 1 - rate. */
export function keepThreshold(rate: number): number {
  return Math.min(2 ** 32 - 1, Math.round((1 - rate) * 2 ** 32));
}

/** What kept elements are multiplied by: 1 / (1 - rate) rounded as tfjs's div(mask, keepProb) rounds it in f32. */
export function keepScale(rate: number): number {
  return Math.fround(1 / Math.fround(1 - rate));
}

/** Whether each of n elements is kept (1) or dropped (0): a byte each, for uploading to a device. */
export function dropoutKeepBits(n: number, rate: number, keys: DropoutKeys): Uint8Array {
  const threshold = keepThreshold(rate);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = dropoutHash(i, keys) < threshold ? 1 : 0;
  return out;
}

/** The multiplier of each of n elements: keepScale(rate) where kept, 0 where dropped. */
export function dropoutMultipliers(n: number, rate: number, keys: DropoutKeys): Float32Array {
  const threshold = keepThreshold(rate);
  const scale = keepScale(rate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = dropoutHash(i, keys) < threshold ? scale : 0;
  return out;
}
