// Plain scalar GEMM, the ground truth for kernel tests. It accumulates in float64 so that its own
// rounding is far below the float32 kernels' and the measured error is theirs.

/** C[m,n] = op(A)[m,k]·op(B)[k,n] (+bias[n]) (then ReLU), row-major, A stored [k][m] if transposeA
 *  and B stored [n][k] if transposeB; when `c` is given the result is added to it (beta = 1). */
export function matmulReference(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  transposeA = false,
  transposeB = false,
  bias?: Float32Array,
  relu = false,
  c?: Float32Array,
): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = c === undefined ? 0 : (c[i * n + j] ?? 0);
      for (let p = 0; p < k; p++) {
        const av = transposeA ? a[p * m + i] : a[i * k + p];
        const bv = transposeB ? b[j * k + p] : b[p * n + j];
        s += (av ?? 0) * (bv ?? 0);
      }
      if (bias !== undefined) s += bias[j] ?? 0;
      out[i * n + j] = relu && s < 0 ? 0 : s;
    }
  }
  return out;
}

/** Largest |got - want| / max(|want|, 1) over all elements (llm.c check_tensor style), with where. */
export function maxRelativeError(got: Float32Array, want: Float32Array): { error: number; index: number } {
  if (got.length !== want.length) throw new Error(`length ${got.length} != ${want.length}`);
  let error = 0;
  let index = -1;
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? 0;
    const e = Math.abs((got[i] ?? 0) - w) / Math.max(Math.abs(w), 1);
    // NaN compares false, so treat it as infinitely wrong.
    if (!(e <= error)) {
      error = Number.isNaN(e) ? Infinity : e;
      index = i;
    }
  }
  return { error, index };
}
