// Winograd F(2x2, 3x3) transforms, four channels per vector (NHWC keeps channels contiguous):
//   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A   for a 4x4 input tile d, 3x3 filter g and 2x2 output tile Y,
// with Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1] and
// Aᵀ = [1 1 1 0; 0 1 -1 -1]. The 16 products per tile become 16 GEMMs over channels (the element ξ
// of the 4x4 transformed tile is the GEMM index), 2.25x fewer multiplies than direct convolution.

/** Transform the 4x4 tile of 4 channels whose element (i, j) is at d + i*rs + j*cs into its 16
 *  values V[ξ = 4i + j], storing lane 0 of V[ξ] at v + ξ*vs and lane l at l1, l2, l3 bytes after it
 *  (in a packed GEMM strip, channels are MR floats apart). */
export function winogradInputTile(d: usize, rs: usize, cs: usize, v: usize, vs: usize, l1: usize, l2: usize, l3: usize): void {
  inputTile(d, rs, cs, v, vs, true, l1, l2, l3);
}

/** Transform the 4x4 tile of 4 channels whose element (i, j) is at d + i*rs + j*cs into its 16
 *  values, storing V[ξ = 4i + j] (4 channels) whole at v + ξ*vs. */
export function winogradInputTransform(d: usize, rs: usize, cs: usize, v: usize, vs: usize): void {
  inputTile(d, rs, cs, v, vs, false, 0, 0, 0);
}

// The input transform, storing each V[ξ] whole (at v + ξ*vs) or as lanes (see winogradInputTile).
// @ts-ignore: decorator
@inline function inputTile(d: usize, rs: usize, cs: usize, v: usize, vs: usize, lanes: bool, l1: usize, l2: usize, l3: usize): void {
  // Rows of Bᵀd are d0 - d2, d1 + d2, d2 - d1, d1 - d3 (rows of d); each then takes the same mix of
  // its columns. Rows 1 and 2 are loaded once and kept (loading two rows per output row cost 3%).
  const p1 = d + rs, p2 = d + rs * 2, p3 = d + rs * 3;
  const a0 = v128.load(p1), a1 = v128.load(p1 + cs), a2 = v128.load(p1 + cs * 2), a3 = v128.load(p1 + cs * 3);
  const b0 = v128.load(p2), b1 = v128.load(p2 + cs), b2 = v128.load(p2 + cs * 2), b3 = v128.load(p2 + cs * 3);
  inputRow(f32x4.add(a0, b0), f32x4.add(a1, b1), f32x4.add(a2, b2), f32x4.add(a3, b3), v + vs * 4, vs, lanes, l1, l2, l3);
  inputRow(f32x4.sub(b0, a0), f32x4.sub(b1, a1), f32x4.sub(b2, a2), f32x4.sub(b3, a3), v + vs * 8, vs, lanes, l1, l2, l3);
  inputRow(
    f32x4.sub(v128.load(d), b0), f32x4.sub(v128.load(d + cs), b1),
    f32x4.sub(v128.load(d + cs * 2), b2), f32x4.sub(v128.load(d + cs * 3), b3), v, vs, lanes, l1, l2, l3,
  );
  inputRow(
    f32x4.sub(a0, v128.load(p3)), f32x4.sub(a1, v128.load(p3 + cs)),
    f32x4.sub(a2, v128.load(p3 + cs * 2)), f32x4.sub(a3, v128.load(p3 + cs * 3)), v + vs * 12, vs, lanes, l1, l2, l3,
  );
}

// One row (t0..t3) of Bᵀd times B: t0 - t2, t1 + t2, t2 - t1, t1 - t3, stored as V[ξ] for 4 ξ.
// @ts-ignore: decorator
@inline function inputRow(t0: v128, t1: v128, t2: v128, t3: v128, row: usize, vs: usize, lanes: bool, l1: usize, l2: usize, l3: usize): void {
  put(row, f32x4.sub(t0, t2), lanes, l1, l2, l3);
  put(row + vs, f32x4.add(t1, t2), lanes, l1, l2, l3);
  put(row + vs * 2, f32x4.sub(t2, t1), lanes, l1, l2, l3);
  put(row + vs * 3, f32x4.sub(t1, t3), lanes, l1, l2, l3);
}

// The 4 channels of one tile go whole to p, or to 4 places of the packed strip.
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

/** Turn the 16 GEMM results M[ξ] of one tile (4 channels at m + ξ*ms) into its 2x2 outputs,
 *  add bias (4 floats at bias, unless 0) and clamp at 0 when relu, and store the ones inside the
 *  output at o (row stride ors, pixel stride ocs) for rows < rows and columns < cols. */
export function winogradOutputTile(
  m: usize, ms: usize, o: usize, ors: usize, ocs: usize, rows: i32, cols: i32, bias: usize, relu: bool,
): void {
  let p00 = f32x4.splat(0), p01 = p00, p02 = p00, p03 = p00, q00 = p00, q01 = p00, q02 = p00, q03 = p00;
  // Aᵀm: row 0 = m0 + m1 + m2, row 1 = m1 - m2 - m3 (rows of the 4x4 tile), one column at a time.
  for (let j = 0; j < 4; j++) {
    const c = m + <usize>j * ms;
    const m0 = v128.load(c), m1 = v128.load(c + ms * 4), m2 = v128.load(c + ms * 8), m3 = v128.load(c + ms * 12);
    const p = f32x4.add(f32x4.add(m0, m1), m2);
    const q = f32x4.sub(f32x4.sub(m1, m2), m3);
    if (j == 0) { p00 = p; q00 = q; } else if (j == 1) { p01 = p; q01 = q; } else if (j == 2) { p02 = p; q02 = q; } else { p03 = p; q03 = q; }
  }
  const b = bias != 0 ? v128.load(bias) : f32x4.splat(0);
  let y00 = f32x4.add(f32x4.add(f32x4.add(p00, p01), p02), b);
  let y01 = f32x4.add(f32x4.sub(f32x4.sub(p01, p02), p03), b);
  let y10 = f32x4.add(f32x4.add(f32x4.add(q00, q01), q02), b);
  let y11 = f32x4.add(f32x4.sub(f32x4.sub(q01, q02), q03), b);
  if (relu) {
    const z = f32x4.splat(0);
    y00 = f32x4.pmax(y00, z); y01 = f32x4.pmax(y01, z); y10 = f32x4.pmax(y10, z); y11 = f32x4.pmax(y11, z);
  }
  v128.store(o, y00);
  if (cols > 1) v128.store(o + ocs, y01);
  if (rows > 1) {
    v128.store(o + ors, y10);
    if (cols > 1) v128.store(o + ors + ocs, y11);
  }
}

/** Transform a 3x3 filter for 4 output channels, element (fy, fx) at g + fy*rs + fx*cs, into its
 *  16 values U[ξ], storing U[ξ] at u + ξ*us. */
export function winogradFilterTile(g: usize, rs: usize, cs: usize, u: usize, us: usize): void {
  const half = f32x4.splat(0.5);
  for (let i = 0; i < 4; i++) {
    // Row i of G g: g0, (g0 + g1 + g2)/2, (g0 - g1 + g2)/2, g2 (rows of g), per column.
    let r0: v128, r1: v128, r2: v128;
    if (i == 0 || i == 3) {
      const p = g + (i == 0 ? 0 : rs * 2);
      r0 = v128.load(p); r1 = v128.load(p + cs); r2 = v128.load(p + cs * 2);
    } else {
      const s: v128 = i == 1 ? f32x4.splat(1) : f32x4.splat(-1);
      r0 = rowMix(g, rs, s, half); r1 = rowMix(g + cs, rs, s, half); r2 = rowMix(g + cs * 2, rs, s, half);
    }
    const row = u + <usize>(4 * i) * us;
    v128.store(row, r0);
    v128.store(row + us, f32x4.mul(f32x4.add(f32x4.add(r0, r1), r2), half));
    v128.store(row + us * 2, f32x4.mul(f32x4.add(f32x4.sub(r0, r1), r2), half));
    v128.store(row + us * 3, r2);
  }
}

// (g[0] + s*g[1] + g[2]) / 2 down one filter column at p.
// @ts-ignore: decorator
@inline function rowMix(p: usize, rs: usize, s: v128, half: v128): v128 {
  return f32x4.mul(f32x4.add(f32x4.add(v128.load(p), f32x4.mul(s, v128.load(p + rs))), v128.load(p + rs * 2)), half);
}


/** Copy the side x side tile of 4 channels at (iy, ix), channel ch, of an NHWC image into tmp (rows
 *  side*16 bytes apart, pixels 16), with zeros where the tile reaches past the image: the padded-edge
 *  path of the input and filter-gradient transforms (side 4 for F(2x2, 3x3), 6 for F(4x4, 3x3)). */
export function winogradGatherPaddedTile(
  image: usize, srcH: i32, srcW: i32, line: usize, pixel: usize, iy: i32, ix: i32, ch: i32, tmp: usize, side: i32,
): void {
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      const y = iy + i, x = ix + j;
      let value = f32x4.splat(0);
      if (y >= 0 && y < srcH && x >= 0 && x < srcW) value = v128.load(image + <usize>y * line + <usize>x * pixel + (<usize>ch << 2));
      v128.store(tmp + <usize>((i * side + j) * 16), value);
    }
  }
}
