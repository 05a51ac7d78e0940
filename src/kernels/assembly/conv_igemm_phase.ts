// Input gradient of a stride-s convolution by sub-pixel phases. The dx pixels with
// (i + pad) mod s = r, per axis, only meet the filter taps k = r + s*j, so each of the sH*sW phases
// is a stride-1 correlation of dy with a sub-filter of ceil((f - r)/s) taps per axis, writing a
// strided sub-grid of dx (src/kernels/conv/phases.ts has the per-phase geometry). This avoids the
// zeros of dy upsampled by the stride, which made 3/4 of the products zero at stride 2 and sent
// every patch through the bounds-checked gather.
import { GEMM_MR as MR, GEMM_NR as NR } from "./isa";
import { f32_tile_store_rows } from "./tile";
import { CONV_GEOMETRY_BYTES, nextPixel, seekPixel, setGeometry } from "./conv_geometry";
import { packPatchStrip } from "./conv_pack_patches";
import { convUkernel } from "./conv_ukernel";
import { f32_pack_bt_nr8__wasmsimd } from "./pack";

/** Bytes of private scratch one thread of f32_conv2d_igemm_phase__wasmsimd needs for K = ty*tx*c:
 *  the igemm's, plus a table of MR output row addresses. */
export function f32_conv2d_igemm_phase_scratch_size(k: i32): i32 {
  return <i32>CONV_GEOMETRY_BYTES + (2 * MR * k + MR * NR) * 4 + MR * <i32>sizeof<usize>() + 64;
}

/** Pool entry: pack panels [lo, hi) of phase (ry, rx)'s sub-filter of the HWIO filter w (fw, cin,
 *  cout) for the input gradient of a stride (sH, sW) convolution: ty x tx taps, tap (a, b) being
 *  w[ry + sH*(ty-1-a)][rx + sW*(tx-1-b)], with channels swapped: B[(a*tx + b)*cout + co][ci]. */
export function f32_conv2d_pack_filter_phase_nr8__wasmsimd(
  w: usize, fw: i32, cin: i32, cout: i32, ry: i32, rx: i32, sH: i32, sW: i32, ty: i32, tx: i32, dst: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const k = ty * tx * cout;
  for (let j = lo; j < hi; j++) {
    const col = j << 3;
    const nc = min(8, cin - col);
    let panel = dst + (<usize>j * k << 5);
    for (let a = 0; a < ty; a++) {
      for (let b = 0; b < tx; b++) {
        const t = (ry + sH * (ty - 1 - a)) * fw + rx + sW * (tx - 1 - b);
        // The tap's [cin][cout] block, transposed, gives cout rows of the panel.
        const block = w + (<usize>(t * cin + col) * cout << 2);
        f32_pack_bt_nr8__wasmsimd(cout, nc, block, <usize>cout << 2, panel);
        panel += <usize>cout << 5;
      }
    }
  }
}

/** Pool entry: MR-pixel strips [lo, hi) of one phase. The phase is a stride-1 correlation of dy
 *  (NHWC [*, srcH, srcW, c]) with a ty x tx sub-filter packed in bpack (ceil(n/8) panels of
 *  K = ty*tx*c rows), pads padT/padL (possibly negative), over a [batch, qH, qW] grid of m pixels;
 *  pixel (b, u, v) is dx pixel (b, i0y + sH*u, i0x + sW*v) of out, NHWC [*, inH, inW, n]. With
 *  K = 0 (a phase no tap reaches: filter smaller than the stride) its pixels are written as zeros. */
export function f32_conv2d_igemm_phase__wasmsimd(
  src: usize, srcH: i32, srcW: i32, c: i32, qH: i32, qW: i32, ty: i32, tx: i32, padT: i32, padL: i32,
  m: i32, n: i32, bpack: usize, out: usize, inH: i32, inW: i32, i0y: i32, i0x: i32, sH: i32, sW: i32,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const own = ((scratch + <usize>thread * scratchStride) + 63) & ~<usize>63;
  const g = setGeometry(own, src, srcH, srcW, c, qH, qW, ty, tx, 1, 1, padT, padL, 1, 1);
  const k = ty * tx * c;
  const apack = own + CONV_GEOMETRY_BYTES;
  const rows = apack + (<usize>(MR * k) << 2);
  const tile = rows + (<usize>(MR * k) << 2);
  const table = tile + (<usize>(MR * NR) << 2);
  const pixelBytes = <usize>n << 2;
  // Bytes between the dx pixels of phase pixels (b, u, v) and (b, u, v + 1).
  const colStep = <usize>sW * pixelBytes;
  const panelBytes = <usize>k << 5;
  if (lo * MR < m) seekPixel(g, lo * MR);
  for (let s = lo; s < hi; s++) {
    const m0 = s * MR;
    const mr = min(MR, m - m0);
    if (mr <= 0) break;
    // The strip's dx rows, from the cursor before packing moves it.
    const oneRow = g.ox + mr <= qW;
    let b = g.b, u = g.oy, v = g.ox;
    for (let r = 0; r < mr; r++) {
      const pixel = (b * inH + i0y + sH * u) * inW + i0x + sW * v;
      store<usize>(table + (<usize>r << alignof<usize>()), out + <usize>pixel * pixelBytes);
      if (++v == qW) {
        v = 0;
        if (++u == qH) { u = 0; b++; }
      }
    }
    if (k == 0) {
      for (let r = 0; r < mr; r++) {
        memory.fill(load<usize>(table + (<usize>r << alignof<usize>())), 0, pixelBytes);
        nextPixel(g);
      }
      continue;
    }
    packPatchStrip(g, mr, apack, rows);
    let bp = bpack;
    for (let j = 0; j < n; j += NR) {
      const nr = min(NR, n - j);
      const colBytes = <usize>j << 2;
      if (mr == MR && nr == NR && oneRow) {
        // MR pixels of one phase row: evenly spaced dx pixels, stored in place.
        convUkernel(k, apack, <usize>MR << 2, bp, load<usize>(table) + colBytes, colStep, 0, 0);
      } else {
        convUkernel(k, apack, <usize>MR << 2, bp, tile, <usize>NR << 2, 0, 0);
        f32_tile_store_rows(tile, table, mr, nr, colBytes);
      }
      bp += panelBytes;
    }
  }
}
