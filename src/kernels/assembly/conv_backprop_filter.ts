// Filter gradient of an NHWC convolution as a GEMM reducing over output pixels:
// dW[K, N] = patchesᵀ[K, M] · dy[M, N], with K = fh*fw*c taps and M = batch*outH*outW pixels.
// M is huge and K x N small, so the pixels are split into tasks, each task sums its pixels into a
// private K x N partial (padded to whole MR x 8 tiles), and a second pass adds the partials up.
// Each task walks its pixels in blocks of KB: dy rows are packed into 8-wide panels and the patch
// columns into MR-row strips, and every strip is swept across every panel with kc = KB.
import { GEMM_MR as MR, GEMM_NR as NR, UK_LOAD_C } from "./isa";
import { f32_pack_b_nr8__wasmsimd } from "./pack";
import { CONV_GEOMETRY_BYTES, ConvGeometry, copyBytes, gatherHere, interiorHere, nextPixel, seekPixel, setGeometry } from "./conv_geometry";
import { convUkernel } from "./conv_ukernel";

// Pixels per block: the packed patch block (Kp x KB, 295 KB for K = 576) and dy block (Np x KB)
// stay in L2 while each 6 x KB strip (3 KB) is reused across all panels from L1.
const KB: i32 = 128;

// @ts-ignore: decorator
@inline function roundUp(x: i32, q: i32): i32 { return (x + q - 1) / q * q; }

/** Bytes of one task's partial sum for K = fh*fw*c taps and n output channels. */
export function f32_conv2d_backprop_filter_partial_size(k: i32, n: i32): i32 {
  return roundUp(k, MR) * roundUp(n, NR) * 4;
}

/** Bytes of private scratch one thread of f32_conv2d_backprop_filter_gemm__wasmsimd needs. */
export function f32_conv2d_backprop_filter_scratch_size(k: i32, n: i32): i32 {
  const kp = roundUp(k, MR);
  return <i32>CONV_GEOMETRY_BYTES + (kp * KB + roundUp(n, NR) * KB + kp) * 4 + 64;
}

/** Pool entry: tasks [lo, hi) of `tasks`, task t summing pixels [t*m/tasks, (t+1)*m/tasks) of
 *  patches of x (NHWC [*, srcH, srcW, c], forward geometry) times dy ([m, n] row-major) into the
 *  partial at partials + t * f32_conv2d_backprop_filter_partial_size(k, n). */
export function f32_conv2d_backprop_filter_gemm__wasmsimd(
  x: usize, srcH: i32, srcW: i32, c: i32, dstH: i32, dstW: i32, fh: i32, fw: i32,
  strideH: i32, strideW: i32, padT: i32, padL: i32,
  dy: usize, m: i32, n: i32, tasks: i32, partials: usize,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const own = ((scratch + <usize>thread * scratchStride) + 63) & ~<usize>63;
  const g = setGeometry(own, x, srcH, srcW, c, dstH, dstW, fh, fw, strideH, strideW, padT, padL, 1, 1);
  const k = fh * fw * c;
  const kp = roundUp(k, MR);
  const np = roundUp(n, NR);
  const ablk = own + CONV_GEOMETRY_BYTES;
  const bblk = ablk + (<usize>(kp * KB) << 2);
  const row = bblk + (<usize>(np * KB) << 2);
  const partialBytes = <usize>(kp * np) << 2;
  const ldc = <usize>np << 2;
  for (let t = lo; t < hi; t++) {
    const p1 = <i32>(<i64>(t + 1) * m / tasks);
    let p0 = <i32>(<i64>t * m / tasks);
    const partial = partials + <usize>t * partialBytes;
    if (p0 >= p1) memory.fill(partial, 0, partialBytes);
    let flags: u32 = 0;
    if (p0 < p1) seekPixel(g, p0);
    for (; p0 < p1; p0 += KB) {
      const kb = min(KB, p1 - p0);
      f32_pack_b_nr8__wasmsimd(kb, n, dy + (<usize>p0 * n << 2), <usize>n << 2, bblk);
      packPatchColumns(g, kb, ablk, row);
      const stripBytes = <usize>(kb * MR) << 2;
      const panelBytes = <usize>kb << 5;
      let a = ablk;
      for (let s = 0; s < kp; s += MR) {
        let b = bblk;
        let cp = partial + <usize>s * ldc;
        for (let j = 0; j < np; j += NR) {
          convUkernel(kb, a, <usize>MR << 2, b, cp, ldc, 0, flags);
          b += panelBytes;
          cp += <usize>NR << 2;
        }
        a += stripBytes;
      }
      flags = UK_LOAD_C;
    }
  }
}

// Pack the patches of the kb pixels from the cursor's on (moving it past them) as the columns of kp/MR strips: strip s holds kb groups
// of MR floats, taps s*MR..s*MR+MR-1 of each pixel. Groups are copied straight from an interior
// patch when no group straddles two segments, else from the patch gathered into `row`.
function packPatchColumns(g: ConvGeometry, kb: i32, dst: usize, row: usize): void {
  const seg = g.fw * g.c;
  const k = g.fh * seg;
  const kp = roundUp(k, MR);
  const stripBytes = <usize>(kb * MR) << 2;
  const groupBytes = <usize>MR << 2;
  const direct = seg % MR == 0;
  const line = <usize>(g.srcW * g.c) << 2;
  if (kp > k) memory.fill(row + (<usize>k << 2), 0, <usize>(kp - k) << 2);
  for (let kk = 0; kk < kb; kk++) {
    let d = dst + <usize>kk * groupBytes;
    const first = direct ? interiorHere(g) : 0;
    if (first != 0) {
      for (let fy = 0; fy < g.fh; fy++) {
        const src = first + <usize>fy * line;
        for (let i = 0; i < seg; i += MR) {
          copyGroup(d, src + (<usize>i << 2));
          d += stripBytes;
        }
      }
    } else {
      gatherHere(g, row);
      for (let i = 0; i < kp; i += MR) {
        copyGroup(d, row + (<usize>i << 2));
        d += stripBytes;
      }
    }
    nextPixel(g);
  }
}

// Copy MR floats.
// @ts-ignore: decorator
@inline function copyGroup(d: usize, s: usize): void {
  v128.store(d, v128.load(s));
  if (MR == 6) store<u64>(d, load<u64>(s, 16), 16);
  else store<f32>(d, load<f32>(s, 16), 16);
}

/** Pool entry: rows [lo, hi) of dW [k, n] = the sum of `tasks` partials (row stride roundUp(n, 8)). */
export function f32_conv2d_backprop_filter_reduce__wasmsimd(
  out: usize, k: i32, n: i32, tasks: i32, partials: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const np = roundUp(n, NR);
  const partialBytes = <usize>(roundUp(k, MR) * np) << 2;
  for (let r = lo; r < hi; r++) {
    const o = out + (<usize>(r * n) << 2);
    const p = partials + (<usize>(r * np) << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const at = <usize>j << 2;
      let acc = v128.load(p + at);
      for (let t = 1; t < tasks; t++) acc = f32x4.add(acc, v128.load(p + <usize>t * partialBytes + at));
      v128.store(o + at, acc);
    }
    for (; j < n; j++) {
      const at = <usize>j << 2;
      let acc = load<f32>(p + at);
      for (let t = 1; t < tasks; t++) acc += load<f32>(p + <usize>t * partialBytes + at);
      store<f32>(o + at, acc);
    }
  }
}
