// Winograd F(4x4, 3x3) transforms, four channels per vector (Lavin and Gray's matrices, points
// 0, ±1, ±2, ∞):
//   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A   for a 6x6 input tile d, 3x3 filter g and 4x4 output tile Y,
//   Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1],
//   G = [¼ 0 0; -⅙ -⅙ -⅙; -⅙ ⅙ -⅙; 1/24 1/12 ⅙; 1/24 -1/12 ⅙; 0 0 1],
//   Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1].
// 36 products make 16 outputs: 4x fewer multiplies than direct convolution (F(2x2, 3x3): 2.25x), and
// each input pixel is transformed 2.25 times instead of 4. The price is rounding: the transforms
// scale by up to 8 and 1/24, so results differ from direct convolution by a few float32 ulps more.
// Products by constants are f32x4.mul and f32x4.add in both builds (no fused multiply-add), so the
// two builds transform identically. Each 2D transform is two 1D passes through 16-byte-aligned tmp,
// column by column and then row by row: 36 vectors do not fit in registers.

const TILE: i32 = 6;

/** Transform the 6x6 tile of 4 channels whose element (i, j) is at d + i*rs + j*cs into its 36
 *  values V[ξ = 6i + j], storing lane 0 of V[ξ] at v + ξ*vs and lane l at l1, l2, l3 bytes after it
 *  (in a packed GEMM strip, channels are MR floats apart); tmp holds 36 vectors. */
export function winograd4InputTile(
  d: usize, rs: usize, cs: usize, v: usize, vs: usize, l1: usize, l2: usize, l3: usize, tmp: usize,
): void {
  inputTile(d, rs, cs, tmp, false, v, vs, l1, l2, l3);
}

/** Transform the 6x6 tile of 4 channels whose element (i, j) is at d + i*rs + j*cs into its 36
 *  values, storing V[ξ = 6i + j] (4 channels) whole at v + ξ*vs; tmp holds 36 vectors. */
export function winograd4InputTransform(d: usize, rs: usize, cs: usize, v: usize, vs: usize, tmp: usize): void {
  inputTile(d, rs, cs, tmp, true, v, vs, 0, 0, 0);
}

// The input transform through tmp (36 vectors), each row of the last pass stored from registers,
// whole or as lanes.
// @ts-ignore: decorator
@inline function inputTile(
  d: usize, rs: usize, cs: usize, tmp: usize, whole: bool, v: usize, vs: usize, l1: usize, l2: usize, l3: usize,
): void {
  // Bᵀ d: the same mix of rows for each column j.
  for (let j = 0; j < TILE; j++) {
    const p = d + <usize>j * cs;
    inputMix(
      v128.load(p), v128.load(p + rs), v128.load(p + rs * 2), v128.load(p + rs * 3), v128.load(p + rs * 4), v128.load(p + rs * 5),
      tmp + (<usize>j << 4), 6 * 16, false, 0, 0, 0,
    );
  }
  // (Bᵀ d) B: the mix of each row's columns, stored whole or scattered into the strip.
  for (let i = 0; i < TILE; i++) {
    const row = tmp + <usize>(i * 6 * 16);
    const x0 = v128.load(row), x1 = v128.load(row + 16), x2 = v128.load(row + 32);
    const x3 = v128.load(row + 48), x4 = v128.load(row + 64), x5 = v128.load(row + 80);
    inputMix(x0, x1, x2, x3, x4, x5, v + <usize>(6 * i) * vs, vs, !whole, l1, l2, l3);
  }
}

// Bᵀ x for one line x0..x5, stored at o + k*os for k = 0..5 (as lanes at l1, l2, l3 when lanes):
//   4x0 - 5x2 + x4, (x4 - 4x2) ± (x3 - 4x1), (x4 - x2) ± 2(x3 - x1), 4x1 - 5x3 + x5.
// @ts-ignore: decorator
@inline function inputMix(
  x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, o: usize, os: usize, lanes: bool, l1: usize, l2: usize, l3: usize,
): void {
  const four = f32x4.splat(4), five = f32x4.splat(5), two = f32x4.splat(2);
  const a = f32x4.sub(x4, f32x4.mul(four, x2));
  const b = f32x4.sub(x3, f32x4.mul(four, x1));
  const c = f32x4.sub(x4, x2);
  const e = f32x4.mul(two, f32x4.sub(x3, x1));
  put(o, f32x4.add(f32x4.sub(f32x4.mul(four, x0), f32x4.mul(five, x2)), x4), lanes, l1, l2, l3);
  put(o + os, f32x4.add(a, b), lanes, l1, l2, l3);
  put(o + os * 2, f32x4.sub(a, b), lanes, l1, l2, l3);
  put(o + os * 3, f32x4.add(c, e), lanes, l1, l2, l3);
  put(o + os * 4, f32x4.sub(c, e), lanes, l1, l2, l3);
  put(o + os * 5, f32x4.add(f32x4.sub(f32x4.mul(four, x1), f32x4.mul(five, x3)), x5), lanes, l1, l2, l3);
}

// x stored whole at p, or its 4 channels to 4 places of the packed strip (lanes).
// @ts-ignore: decorator
@inline function put(p: usize, x: v128, lanes: bool, l1: usize, l2: usize, l3: usize): void {
  if (!lanes) {
    v128.store(p, x);
    return;
  }
  v128.store32_lane(p, x, 0);
  v128.store32_lane(p + l1, x, 1);
  v128.store32_lane(p + l2, x, 2);
  v128.store32_lane(p + l3, x, 3);
}

/** Turn the 36 GEMM results M[ξ] of one tile (4 channels at m + ξ*ms) into its 4x4 outputs, add
 *  bias (4 floats at bias, unless 0) and clamp at 0 when relu, and store the ones inside the output
 *  at o (row stride ors, pixel stride ocs) for rows < rows and columns < cols; tmp holds 24 vectors. */
export function winograd4OutputTile(
  m: usize, ms: usize, o: usize, ors: usize, ocs: usize, rows: i32, cols: i32, bias: usize, relu: bool, tmp: usize,
): void {
  // Aᵀ M: the same mix of rows for each column j, into tmp's 4 rows of 6.
  for (let j = 0; j < TILE; j++) {
    const p = m + <usize>j * ms;
    const r = ms * 6;
    outputMix(
      v128.load(p), v128.load(p + r), v128.load(p + r * 2), v128.load(p + r * 3), v128.load(p + r * 4), v128.load(p + r * 5),
      tmp + (<usize>j << 4), 6 * 16,
    );
  }
  const b = bias != 0 ? v128.load(bias) : f32x4.splat(0);
  const z = f32x4.splat(0);
  const eight = f32x4.splat(8), four = f32x4.splat(4), two = f32x4.splat(2);
  for (let i = 0; i < min(rows, 4); i++) {
    const row = tmp + <usize>(i * 6 * 16);
    const m0 = v128.load(row), m1 = v128.load(row + 16), m2 = v128.load(row + 32);
    const m3 = v128.load(row + 48), m4 = v128.load(row + 64), m5 = v128.load(row + 80);
    const s1 = f32x4.add(m1, m2), d1 = f32x4.sub(m1, m2), s2 = f32x4.add(m3, m4), d2 = f32x4.sub(m3, m4);
    let y0 = f32x4.add(f32x4.add(f32x4.add(m0, s1), s2), b);
    let y1 = f32x4.add(f32x4.add(d1, f32x4.mul(two, d2)), b);
    let y2 = f32x4.add(f32x4.add(s1, f32x4.mul(four, s2)), b);
    let y3 = f32x4.add(f32x4.add(f32x4.add(d1, f32x4.mul(eight, d2)), m5), b);
    if (relu) {
      y0 = f32x4.pmax(y0, z); y1 = f32x4.pmax(y1, z); y2 = f32x4.pmax(y2, z); y3 = f32x4.pmax(y3, z);
    }
    const out = o + <usize>i * ors;
    v128.store(out, y0);
    if (cols > 1) v128.store(out + ocs, y1);
    if (cols > 2) v128.store(out + ocs * 2, y2);
    if (cols > 3) v128.store(out + ocs * 3, y3);
  }
}

// Aᵀ x for one line x0..x5, stored at o + k*os for k = 0..3:
//   x0 + (x1 + x2) + (x3 + x4), (x1 - x2) + 2(x3 - x4), (x1 + x2) + 4(x3 + x4), (x1 - x2) + 8(x3 - x4) + x5.
// @ts-ignore: decorator
@inline function outputMix(x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, o: usize, os: usize): void {
  const s1 = f32x4.add(x1, x2), d1 = f32x4.sub(x1, x2), s2 = f32x4.add(x3, x4), d2 = f32x4.sub(x3, x4);
  v128.store(o, f32x4.add(f32x4.add(x0, s1), s2));
  v128.store(o + os, f32x4.add(d1, f32x4.mul(f32x4.splat(2), d2)));
  v128.store(o + os * 2, f32x4.add(s1, f32x4.mul(f32x4.splat(4), s2)));
  v128.store(o + os * 3, f32x4.add(f32x4.add(d1, f32x4.mul(f32x4.splat(8), d2)), x5));
}

/** Transform a 3x3 filter for 4 output channels, element (fy, fx) at g + fy*rs + fx*cs, into its
 *  36 values U[ξ], storing U[ξ] at u + ξ*us; tmp holds 24 vectors. */
export function winograd4FilterTile(g: usize, rs: usize, cs: usize, u: usize, us: usize, tmp: usize): void {
  // G g: the same mix of rows for each of the 3 columns, into tmp's 6 rows of 3.
  for (let j = 0; j < 3; j++) {
    const p = g + <usize>j * cs;
    filterMix(v128.load(p), v128.load(p + rs), v128.load(p + rs * 2), tmp + (<usize>j << 4), 3 * 16);
  }
  // (G g) Gᵀ: each row's mix of its 3 columns.
  const row = tmp + 6 * 3 * 16;
  for (let i = 0; i < TILE; i++) {
    const r = tmp + <usize>(i * 3 * 16);
    filterMix(v128.load(r), v128.load(r + 16), v128.load(r + 32), row, 16);
    for (let j = 0; j < TILE; j++) v128.store(u + <usize>(6 * i + j) * us, v128.load(row + (<usize>j << 4)));
  }
}

// G x for one line x0..x2, stored at o + k*os for k = 0..5:
//   x0/4, -(x0 + x1 + x2)/6, -(x0 - x1 + x2)/6, x0/24 + x1/12 + x2/6, x0/24 - x1/12 + x2/6, x2.
// @ts-ignore: decorator
@inline function filterMix(x0: v128, x1: v128, x2: v128, o: usize, os: usize): void {
  const sixth = f32x4.splat(<f32>(1.0 / 6.0));
  const even = f32x4.add(x0, x2);
  const q = f32x4.add(f32x4.mul(x0, f32x4.splat(<f32>(1.0 / 24.0))), f32x4.mul(x2, sixth));
  const h = f32x4.mul(x1, f32x4.splat(<f32>(1.0 / 12.0)));
  v128.store(o, f32x4.mul(x0, f32x4.splat(0.25)));
  v128.store(o + os, f32x4.neg(f32x4.mul(f32x4.add(even, x1), sixth)));
  v128.store(o + os * 2, f32x4.neg(f32x4.mul(f32x4.sub(even, x1), sixth)));
  v128.store(o + os * 3, f32x4.add(q, h));
  v128.store(o + os * 4, f32x4.sub(q, h));
  v128.store(o + os * 5, x2);
}

// The filter gradient by F(3x3, 4x4), the transpose of F(4x4, 3x3): for a 4x4 tile e of dy and the
// 6x6 tile d of x it saw, the tile's share of the 3x3 gradient is
//   Gᵀ [ (A e Aᵀ) ⊙ (Bᵀ d B) ] G
// with the matrices above, so x tiles reuse winograd4InputTile. Summing the 36 products over all
// tiles is 36 GEMMs; Gᵀ·G is applied once, to the sums.

/** Transform the 4x4 dy tile of 4 channels with element (i, j) at e + i*rs + j*cs (zero for the rows
 *  >= rows and columns >= cols that fall outside dy) into its 36 values, storing E[ξ] at o + ξ*os. */
export function winograd4GradTile(e: usize, rs: usize, cs: usize, rows: i32, cols: i32, o: usize, os: usize): void {
  // A e row by row, each row then mixed across its 4 columns ((A e) Aᵀ): no pass through memory, so
  // 36 stores instead of 60, for reloading the tile (from L1) three times. The rows of A e are
  // x0, (x0 + x2) ± (x1 + x3), (x0 + 4x2) ± (2x1 + 8x3), x3 of each column x0..x3, as gradMix forms them.
  gradMix(dyAt(e, rs, cs, 0, 0, rows, cols), dyAt(e, rs, cs, 0, 1, rows, cols), dyAt(e, rs, cs, 0, 2, rows, cols), dyAt(e, rs, cs, 0, 3, rows, cols), o, os);
  gradMix(dyAt(e, rs, cs, 3, 0, rows, cols), dyAt(e, rs, cs, 3, 1, rows, cols), dyAt(e, rs, cs, 3, 2, rows, cols), dyAt(e, rs, cs, 3, 3, rows, cols), o + os * 30, os);
  const four = f32x4.splat(4), two = f32x4.splat(2), eight = f32x4.splat(8);
  let p0 = f32x4.splat(0), p1 = p0, p2 = p0, p3 = p0, q0 = p0, q1 = p0, q2 = p0, q3 = p0;
  for (let j = 0; j < 4; j++) {
    const x0 = dyAt(e, rs, cs, 0, j, rows, cols), x2 = dyAt(e, rs, cs, 2, j, rows, cols);
    const x1 = dyAt(e, rs, cs, 1, j, rows, cols), x3 = dyAt(e, rs, cs, 3, j, rows, cols);
    const even = f32x4.add(x0, x2), odd = f32x4.add(x1, x3);
    const p = f32x4.add(even, odd), q = f32x4.sub(even, odd);
    if (j == 0) { p0 = p; q0 = q; } else if (j == 1) { p1 = p; q1 = q; } else if (j == 2) { p2 = p; q2 = q; } else { p3 = p; q3 = q; }
  }
  gradMix(p0, p1, p2, p3, o + os * 6, os);
  gradMix(q0, q1, q2, q3, o + os * 12, os);
  for (let j = 0; j < 4; j++) {
    const x0 = dyAt(e, rs, cs, 0, j, rows, cols), x2 = dyAt(e, rs, cs, 2, j, rows, cols);
    const x1 = dyAt(e, rs, cs, 1, j, rows, cols), x3 = dyAt(e, rs, cs, 3, j, rows, cols);
    const even4 = f32x4.add(x0, f32x4.mul(four, x2));
    const odd4 = f32x4.add(f32x4.mul(two, x1), f32x4.mul(eight, x3));
    const p = f32x4.add(even4, odd4), q = f32x4.sub(even4, odd4);
    if (j == 0) { p0 = p; q0 = q; } else if (j == 1) { p1 = p; q1 = q; } else if (j == 2) { p2 = p; q2 = q; } else { p3 = p; q3 = q; }
  }
  gradMix(p0, p1, p2, p3, o + os * 18, os);
  gradMix(q0, q1, q2, q3, o + os * 24, os);
}

// Element (i, j) of the dy tile, zero outside dy.
// @ts-ignore: decorator
@inline function dyAt(e: usize, rs: usize, cs: usize, i: i32, j: i32, rows: i32, cols: i32): v128 {
  return i < rows && j < cols ? v128.load(e + <usize>i * rs + <usize>j * cs) : f32x4.splat(0);
}

// A x for one line x0..x3, stored at o + k*os for k = 0..5:
//   x0, (x0 + x2) ± (x1 + x3), (x0 + 4x2) ± (2x1 + 8x3), x3.
// @ts-ignore: decorator
@inline function gradMix(x0: v128, x1: v128, x2: v128, x3: v128, o: usize, os: usize): void {
  const even = f32x4.add(x0, x2), odd = f32x4.add(x1, x3);
  const even4 = f32x4.add(x0, f32x4.mul(f32x4.splat(4), x2));
  const odd4 = f32x4.add(f32x4.mul(f32x4.splat(2), x1), f32x4.mul(f32x4.splat(8), x3));
  v128.store(o, x0);
  v128.store(o + os, f32x4.add(even, odd));
  v128.store(o + os * 2, f32x4.sub(even, odd));
  v128.store(o + os * 3, f32x4.add(even4, odd4));
  v128.store(o + os * 4, f32x4.sub(even4, odd4));
  v128.store(o + os * 5, x3);
}

/** Turn the 36 summed products (4 channels, M[ξ] at m + ξ*ms) into the 3x3 gradient, storing element
 *  (fy, fx) at o + fy*ors + fx*ocs; tmp holds 18 vectors. */
export function winograd4GradOutput(m: usize, ms: usize, o: usize, ors: usize, ocs: usize, tmp: usize): void {
  // Gᵀ M: the same mix of rows for each column j, into tmp's 3 rows of 6.
  for (let j = 0; j < TILE; j++) {
    const p = m + <usize>j * ms;
    const r = ms * 6;
    gradOutputMix(
      v128.load(p), v128.load(p + r), v128.load(p + r * 2), v128.load(p + r * 3), v128.load(p + r * 4), v128.load(p + r * 5),
      tmp + (<usize>j << 4), 6 * 16,
    );
  }
  // (Gᵀ M) G: each row's mix of its 6 columns.
  for (let i = 0; i < 3; i++) {
    const row = tmp + <usize>(i * 6 * 16);
    gradOutputMix(
      v128.load(row), v128.load(row + 16), v128.load(row + 32), v128.load(row + 48), v128.load(row + 64), v128.load(row + 80),
      o + <usize>i * ors, ocs,
    );
  }
}

// Gᵀ x for one line x0..x5, stored at o + k*os for k = 0..2, with s = x1 + x2, d = x1 - x2,
// s' = x3 + x4, d' = x3 - x4: x0/4 - s/6 + s'/24, -d/6 + d'/12, (s' - s)/6 + x5.
// @ts-ignore: decorator
@inline function gradOutputMix(x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, o: usize, os: usize): void {
  const sixth = f32x4.splat(<f32>(1.0 / 6.0));
  const s = f32x4.add(x1, x2), d = f32x4.sub(x1, x2), s2 = f32x4.add(x3, x4), d2 = f32x4.sub(x3, x4);
  v128.store(o, f32x4.add(f32x4.sub(f32x4.mul(x0, f32x4.splat(0.25)), f32x4.mul(s, sixth)), f32x4.mul(s2, f32x4.splat(<f32>(1.0 / 24.0)))));
  v128.store(o + os, f32x4.sub(f32x4.mul(d2, f32x4.splat(<f32>(1.0 / 12.0))), f32x4.mul(d, sixth)));
  v128.store(o + os * 2, f32x4.add(f32x4.mul(f32x4.sub(s2, s), sixth), x5));
}
