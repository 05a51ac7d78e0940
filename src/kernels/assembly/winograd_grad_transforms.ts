// Winograd F(3x3, 2x2) transforms for the filter gradient, four channels per vector. For one 2x2
// tile e of dy and the 4x4 tile d of x it saw, the tile's share of the 3x3 gradient is
//   Aᵀ [ (G e Gᵀ) ⊙ (Bᵀ d B) ] A,  G = [1 0; ½ ½; ½ -½; 0 1],  Aᵀ = [1 1 1 0; 0 1 -1 0; 0 1 1 -1],
// with the same Bᵀ as F(2x2, 3x3) (winograd_transforms.ts), so x tiles reuse winogradInputTile.
// Summing the 16 products over all tiles is 16 GEMMs; Aᵀ·A is applied once, to the sums.

/** Transform the 2x2 dy tile of 4 channels with element (i, j) at e + i*rs + j*cs (zero for the
 *  rows >= rows and columns >= cols that fall outside dy) into its 16 values, storing E[ξ] at
 *  o + ξ*os. */
export function winogradGradTile(e: usize, rs: usize, cs: usize, rows: i32, cols: i32, o: usize, os: usize): void {
  const z = f32x4.splat(0);
  const half = f32x4.splat(0.5);
  const e00 = v128.load(e);
  const e01 = cols > 1 ? v128.load(e + cs) : z;
  let e10 = z, e11 = z;
  if (rows > 1) {
    e10 = v128.load(e + rs);
    if (cols > 1) e11 = v128.load(e + rs + cs);
  }
  // G e: rows e0, (e0 + e1)/2, (e0 - e1)/2, e1, then the same mix of the two columns of each row.
  gradRow(e00, e01, o, os, half);
  gradRow(f32x4.mul(f32x4.add(e00, e10), half), f32x4.mul(f32x4.add(e01, e11), half), o + os * 4, os, half);
  gradRow(f32x4.mul(f32x4.sub(e00, e10), half), f32x4.mul(f32x4.sub(e01, e11), half), o + os * 8, os, half);
  gradRow(e10, e11, o + os * 12, os, half);
}

// One row (a, b) of G e times Gᵀ: a, (a + b)/2, (a - b)/2, b.
// @ts-ignore: decorator
@inline function gradRow(a: v128, b: v128, o: usize, os: usize, half: v128): void {
  v128.store(o, a);
  v128.store(o + os, f32x4.mul(f32x4.add(a, b), half));
  v128.store(o + os * 2, f32x4.mul(f32x4.sub(a, b), half));
  v128.store(o + os * 3, b);
}

/** Turn the 16 summed products (4 channels, M[ξ] at m + ξ*ms) into the 3x3 gradient, storing
 *  element (fy, fx) at o + fy*ors + fx*ocs. */
export function winogradGradOutput(m: usize, ms: usize, o: usize, ors: usize, ocs: usize): void {
  for (let i = 0; i < 3; i++) {
    // Row i of Aᵀ M: m0 + m1 + m2, m1 - m2, m1 + m2 - m3 (rows of M), one column at a time.
    const r0 = gradOutRow(m, ms, i), r1 = gradOutRow(m + ms, ms, i);
    const r2 = gradOutRow(m + ms * 2, ms, i), r3 = gradOutRow(m + ms * 3, ms, i);
    const row = o + <usize>i * ors;
    v128.store(row, f32x4.add(f32x4.add(r0, r1), r2));
    v128.store(row + ocs, f32x4.sub(r1, r2));
    v128.store(row + ocs * 2, f32x4.sub(f32x4.add(r1, r2), r3));
  }
}

// Row i of Aᵀ applied down column j of M, whose rows are 4*ms apart (m points at M[0][j]).
// @ts-ignore: decorator
@inline function gradOutRow(m: usize, ms: usize, i: i32): v128 {
  const m1 = v128.load(m + ms * 4), m2 = v128.load(m + ms * 8);
  if (i == 0) return f32x4.add(f32x4.add(v128.load(m), m1), m2);
  if (i == 1) return f32x4.sub(m1, m2);
  return f32x4.sub(f32x4.add(m1, m2), v128.load(m + ms * 12));
}
