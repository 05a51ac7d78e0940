// Where the taps of one output pixel of an NHWC convolution read their source, shared by the
// implicit-GEMM convolution (forward and input gradient) and the filter gradient. A geometry lives
// in a thread's scratch memory (unmanaged: no allocation, the stub runtime is not thread-safe).
//
// Source pixel of output pixel o and tap f, per axis: s = (o*stride + f - pad) / up, valid when
// the division is exact and 0 <= s < size. The forward pass has up = 1; the input gradient is the
// forward pass of dy with the flipped filter, stride 1, pad = F-1-pad and up = the forward stride.

/** Convolution geometry in memory (i32 fields, pointers are byte addresses). */
@unmanaged
export class ConvGeometry {
  /** NHWC source tensor: x forward, dy for the input gradient. */
  src: usize;
  srcH: i32;
  srcW: i32;
  /** Source channels: the innermost taps. */
  c: i32;
  /** Output spatial size: GEMM row m is pixel m of a [batch, dstH, dstW] grid. */
  dstH: i32;
  dstW: i32;
  fh: i32;
  fw: i32;
  strideH: i32;
  strideW: i32;
  padT: i32;
  padL: i32;
  upH: i32;
  upW: i32;
  /** The cursor: image, row and column of the current output pixel (seekPixel, nextPixel). */
  b: i32;
  oy: i32;
  ox: i32;
}

/** Bytes a ConvGeometry occupies, rounded to a cache line so the scratch after it stays aligned. */
export const CONV_GEOMETRY_BYTES: usize = (offsetof<ConvGeometry>() + 63) & ~<usize>63;

/** Fill the geometry at `at` and return it. */
// @ts-ignore: decorator
@inline
export function setGeometry(
  at: usize, src: usize, srcH: i32, srcW: i32, c: i32, dstH: i32, dstW: i32, fh: i32, fw: i32,
  strideH: i32, strideW: i32, padT: i32, padL: i32, upH: i32, upW: i32,
): ConvGeometry {
  const g = changetype<ConvGeometry>(at);
  g.src = src; g.srcH = srcH; g.srcW = srcW; g.c = c; g.dstH = dstH; g.dstW = dstW;
  g.fh = fh; g.fw = fw; g.strideH = strideH; g.strideW = strideW;
  g.padT = padT; g.padL = padL; g.upH = upH; g.upW = upW;
  return g;
}

/** Move the cursor to output pixel m (three divisions: call once per run of pixels). */
export function seekPixel(g: ConvGeometry, m: i32): void {
  const plane = g.dstH * g.dstW;
  const b = m / plane;
  const rem = m - b * plane;
  const oy = rem / g.dstW;
  g.b = b;
  g.oy = oy;
  g.ox = rem - oy * g.dstW;
}

/** Move the cursor to the next output pixel. */
// @ts-ignore: decorator
@inline
export function nextPixel(g: ConvGeometry): void {
  if (++g.ox < g.dstW) return;
  g.ox = 0;
  if (++g.oy < g.dstH) return;
  g.oy = 0;
  g.b++;
}

/** Byte address of the first tap (fy = fx = 0) of the cursor's pixel when every tap of it is
 *  inside the source and up = 1, else 0 (its taps need the bounds-checked gather). */
export function interiorHere(g: ConvGeometry): usize {
  if ((g.upH | g.upW) != 1) return 0;
  const iy = g.oy * g.strideH - g.padT;
  const ix = g.ox * g.strideW - g.padL;
  if (iy < 0 || ix < 0 || iy + g.fh > g.srcH || ix + g.fw > g.srcW) return 0;
  return g.src + ((<usize>(g.b * g.srcH + iy) * g.srcW + ix) * g.c << 2);
}

/** interiorHere for output pixel m, moving the cursor there. */
export function interiorPatch(g: ConvGeometry, m: i32): usize {
  seekPixel(g, m);
  return interiorHere(g);
}

/** Copy the fh*fw*c taps of the cursor's pixel into `row` (contiguous, tap-major), zero where a
 *  tap falls in the padding or between upsampled source pixels. */
export function gatherHere(g: ConvGeometry, row: usize): void {
  const c = g.c;
  const segBytes = <usize>(g.fw * c) << 2;
  const first = interiorHere(g);
  if (first != 0) {
    const lineBytes = <usize>(g.srcW * c) << 2;
    for (let fy = 0; fy < g.fh; fy++) {
      copyBytes(row, first + <usize>fy * lineBytes, segBytes);
      row += segBytes;
    }
    return;
  }
  const tapBytes = <usize>c << 2;
  const image = g.src + (<usize>(g.b * g.srcH) * g.srcW * c << 2);
  for (let fy = 0; fy < g.fh; fy++) {
    const sy = sourceIndex(g.oy * g.strideH + fy - g.padT, g.upH, g.srcH);
    if (sy < 0) {
      memory.fill(row, 0, segBytes);
      row += segBytes;
      continue;
    }
    const line = image + (<usize>(sy * g.srcW) * c << 2);
    for (let fx = 0; fx < g.fw; fx++) {
      const sx = sourceIndex(g.ox * g.strideW + fx - g.padL, g.upW, g.srcW);
      if (sx < 0) memory.fill(row, 0, tapBytes);
      else copyBytes(row, line + (<usize>(sx * c) << 2), tapBytes);
      row += tapBytes;
    }
  }
}

/** gatherHere for output pixel m, moving the cursor there. */
export function gatherPatch(g: ConvGeometry, m: i32, row: usize): void {
  seekPixel(g, m);
  gatherHere(g, row);
}

// Source index of upsampled position u, or -1 when it is padding or falls between source pixels.
// @ts-ignore: decorator
@inline
function sourceIndex(u: i32, up: i32, size: i32): i32 {
  if (u < 0) return -1;
  const s = u / up;
  return s * up == u && s < size ? s : -1;
}

/** Copy n bytes (a multiple of 4) with 16-byte moves: memory.copy is a runtime call in V8, too
 *  slow for the few hundred bytes of one patch segment. */
// @ts-ignore: decorator
@inline
export function copyBytes(dst: usize, src: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) v128.store(dst + i, v128.load(src + i));
  for (; i < n; i += 4) store<f32>(dst + i, load<f32>(src + i));
}
