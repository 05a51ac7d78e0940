// Implicit-GEMM NHWC convolution: out[M, N] = patches[M, K] · B[K, N] (+ bias)(ReLU), where row m
// is output pixel m, K = fh*fw*c taps of the source and B the packed filter (conv_pack_filter.ts).
// One driver serves the forward pass (source x) and the input gradient (source dy, flipped filter,
// see conv_geometry.ts). K and N of this CNN are small (K <= 576, N <= 128), so the whole packed
// filter (<= 295 KB) stays in L2 and each MR-pixel strip is packed once, kept in L1, and swept
// across all N/8 panels with the full K: no K or N blocking, no partial sums.
import { GEMM_MR as MR, GEMM_NR as NR, UK_BIAS, UK_LOAD_C, UK_RELU } from "./isa";
import { f32_tile_load, f32_tile_store } from "./tile";
import { CONV_GEOMETRY_BYTES, seekPixel, setGeometry } from "./conv_geometry";
import { packPatchStrip } from "./conv_pack_patches";
import { convUkernel } from "./conv_ukernel";

/** f32_conv2d_igemm__wasmsimd flag: add bias[N] to every output pixel. */
export const CONV_BIAS: u32 = 1;
/** f32_conv2d_igemm__wasmsimd flag: clamp the result at 0 (after the bias). */
export const CONV_RELU: u32 = 2;

/** Bytes of private scratch one thread of f32_conv2d_igemm__wasmsimd needs for a K = fh*fw*c convolution. */
export function f32_conv2d_igemm_scratch_size(k: i32): i32 {
  return <i32>CONV_GEOMETRY_BYTES + (2 * MR * k + MR * NR) * 4 + 64;
}

/** Pool entry: output pixels in MR-pixel strips [lo, hi) of an M-pixel convolution. The source is
 *  NHWC [*, srcH, srcW, c]; out is [M, n] row-major; bpack holds ceil(n/8) panels of K = fh*fw*c
 *  rows; flags are CONV_* bits; scratch + thread*scratchStride is this thread's private scratch. */
export function f32_conv2d_igemm__wasmsimd(
  src: usize, srcH: i32, srcW: i32, c: i32, dstH: i32, dstW: i32, fh: i32, fw: i32,
  strideH: i32, strideW: i32, padT: i32, padL: i32, upH: i32, upW: i32,
  m: i32, n: i32, bpack: usize, out: usize, bias: usize, flags: u32,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const own = ((scratch + <usize>thread * scratchStride) + 63) & ~<usize>63;
  const g = setGeometry(own, src, srcH, srcW, c, dstH, dstW, fh, fw, strideH, strideW, padT, padL, upH, upW);
  const k = fh * fw * c;
  const apack = own + CONV_GEOMETRY_BYTES;
  const rows = apack + (<usize>(MR * k) << 2);
  const tile = rows + (<usize>(MR * k) << 2);
  const kf: u32 = (flags & CONV_BIAS ? UK_BIAS : 0) | (flags & CONV_RELU ? UK_RELU : 0);
  const ldc = <usize>n << 2;
  const panelBytes = <usize>k << 5;
  if (lo * MR < m) seekPixel(g, lo * MR);
  for (let s = lo; s < hi; s++) {
    const m0 = s * MR;
    const mr = min(MR, m - m0);
    if (mr <= 0) break;
    packPatchStrip(g, mr, apack, rows);
    let bp = bpack;
    for (let j = 0; j < n; j += NR) {
      const nr = min(NR, n - j);
      const cp = out + ((<usize>m0 * n + j) << 2);
      const bb = bias + (<usize>j << 2);
      if (mr == MR && nr == NR) {
        convUkernel(k, apack, <usize>MR << 2, bp, cp, ldc, bb, kf);
      } else {
        f32_tile_load(tile, cp, ldc, mr, nr, bb, kf);
        convUkernel(k, apack, <usize>MR << 2, bp, tile, <usize>NR << 2, 0, UK_LOAD_C | (kf & UK_RELU));
        f32_tile_store(tile, cp, ldc, mr, nr);
      }
      bp += panelBytes;
    }
  }
}
