// Input gradient of a strided convolution by sub-pixel phases (assembly/conv_igemm_phase.ts): per
// axis, the dx indices i with (i + pad) mod s = r only meet the filter taps k = r + s*j, so phase
// (ry, rx) is a stride-1 correlation of dy with a ceil((fh-ry)/sH) x ceil((fw-rx)/sW) sub-filter
// writing every sH-th row and sW-th column of dx from (i0y, i0x). The phases partition dx; those no
// tap reaches (filter smaller than the stride) are written as zeros.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelContext } from '../call/context.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { chunks } from './pass.js';
import { cacheLines, convSizes } from './sizes.js';

/** An input gradient to compute by phases: dx [batch, inH, inW, cin] from dy [batch, outH, outW, cout]. */
export interface PhasePass {
  dy: TensorInfo;
  /** HWIO filter [fh, fw, cin, cout]. */
  filter: TensorInfo;
  /** dx, already allocated. */
  out: TensorInfo;
  batch: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  strideH: number;
  strideW: number;
  /** The forward pass's top and left padding (any value >= 0). */
  padTop: number;
  padLeft: number;
}

/** One axis of one phase r: its taps T, extent Q, first dx index i0 and stride-1 pad P (may be negative). */
export interface PhaseAxis {
  taps: number;
  extent: number;
  first: number;
  pad: number;
}

/** The phase r of one axis of a stride-s input gradient with filter f, pad p and dx extent `size`. */
export function phaseAxis(r: number, f: number, s: number, p: number, size: number): PhaseAxis {
  const taps = r < f ? Math.ceil((f - r) / s) : 0;
  const q0 = Math.ceil((p - r) / s);
  const q1 = Math.floor((size - 1 + p - r) / s);
  return { taps, extent: Math.max(0, q1 - q0 + 1), first: s * q0 + r - p, pad: taps - 1 - q0 };
}

/** Computes dx by phases with every thread of the context's pool: per phase one call packs its
 *  sub-filter into shared scratch, a second computes its pixel strips. */
export function runPhases(ctx: KernelContext, p: PhasePass): void {
  const [fh, fw, cin, cout] = p.filter.shape as [number, number, number, number];
  const { mr, igemmPhaseScratch } = convSizes(ctx.isa);
  const rows = Array.from({ length: p.strideH }, (_, r) => phaseAxis(r, fh, p.strideH, p.padTop, p.inH));
  const cols = Array.from({ length: p.strideW }, (_, r) => phaseAxis(r, fw, p.strideW, p.padLeft, p.inW));
  const panels = Math.ceil(cin / 8);
  // Packed sub-filters at prefix offsets: together the size of the whole packed filter.
  let packed = 0;
  let maxK = 0;
  const offsets: number[] = [];
  for (const y of rows) {
    for (const x of cols) {
      const k = y.taps * x.taps * cout;
      offsets.push(packed);
      packed += cacheLines(panels * k * 32);
      maxK = Math.max(maxK, k);
    }
  }
  const stride = cacheLines(igemmPhaseScratch(maxK));
  // Scratch first: it may grow the heap (offsets stay valid, views would not).
  const base = cacheLines(ctx.scratch(64 + packed + ctx.threads * stride));
  const { backend } = ctx;
  const w = tensorOffset(backend, p.filter);
  const dy = tensorOffset(backend, p.dy);
  const dx = tensorOffset(backend, p.out);
  rows.forEach((y, ry) => {
    cols.forEach((x, rx) => {
      const m = p.batch * y.extent * x.extent;
      if (m === 0) return;
      const bpack = base + offsets[ry * p.strideW + rx]!;
      if (y.taps * x.taps > 0) {
        ctx.pool.parallelFor(
          'f32_conv2d_pack_filter_phase_nr8__wasmsimd',
          [
            w, // w
            fw, // fw
            cin, // cin
            cout, // cout
            ry, // ry
            rx, // rx
            p.strideH, // sH
            p.strideW, // sW
            y.taps, // ty
            x.taps, // tx
            bpack, // dst
          ],
          panels,
        );
      }
      ctx.pool.parallelFor(
        'f32_conv2d_igemm_phase__wasmsimd',
        [
          dy, // src
          p.outH, // srcH
          p.outW, // srcW
          cout, // c
          y.extent, // qH
          x.extent, // qW
          y.taps, // ty
          x.taps, // tx
          y.pad, // padT
          x.pad, // padL
          m, // m
          cin, // n
          bpack, // bpack
          dx, // out
          p.inH, // inH
          p.inW, // inW
          y.first, // i0y
          x.first, // i0x
          p.strideH, // sH
          p.strideW, // sW
          base + packed, // scratch
          stride, // scratchStride
        ],
        Math.ceil(m / mr),
        chunks(ctx.threads),
      );
    });
  });
}
