// Packing the A operand of an implicit-GEMM convolution: MR output pixels' patches (rows of the
// virtual im2col matrix, never materialised) into kc groups of MR floats, the layout the GEMM
// micro-kernels read (element (r, k) at dst + 4*(k*MR + r)).
//
// An interior patch is fh contiguous segments of fw*c floats in the NHWC source, so a full strip
// of interior pixels is packed straight from the source with 4x4 transposes through MR row
// pointers (a segment's last fw*c mod 4 floats one by one: LeNet's 5x5 taps x 6 channels give 30).
// Strips touching padding, upsampled sources (input gradient with stride > 1) and partial strips
// are first gathered into MR contiguous rows.
import { GEMM_MR as MR } from "./isa";
import { f32_pack_a_mr } from "./pack_a";
import { ConvGeometry, gatherHere, interiorHere, nextPixel } from "./conv_geometry";

/** Pack the patches of the mr <= MR output pixels from the cursor's on (leaving the cursor after
 *  them) as K = fh*fw*c groups of MR floats at dst, rows mr..MR zero; `rows` is MR*K floats of
 *  private scratch for the gathered path. */
export function packPatchStrip(g: ConvGeometry, mr: i32, dst: usize, rows: usize): void {
  const seg = g.fw * g.c;
  const k = g.fh * seg;
  const b = g.b, oy = g.oy, ox = g.ox;
  if (mr == MR) {
    const p0 = interiorHere(g);
    nextPixel(g);
    const p1 = interiorHere(g);
    nextPixel(g);
    const p2 = interiorHere(g);
    nextPixel(g);
    const p3 = interiorHere(g);
    nextPixel(g);
    const p4 = interiorHere(g);
    nextPixel(g);
    let p5 = p4;
    if (MR == 6) {
      p5 = interiorHere(g);
      nextPixel(g);
    }
    if (p0 != 0 && p1 != 0 && p2 != 0 && p3 != 0 && p4 != 0 && p5 != 0) {
      const line = <usize>(g.srcW * g.c) << 2;
      const segGroups = <usize>(seg * MR) << 2;
      for (let fy = 0; fy < g.fh; fy++) {
        const o = <usize>fy * line;
        packRows(seg, p0 + o, p1 + o, p2 + o, p3 + o, p4 + o, p5 + o, dst);
        dst += segGroups;
      }
      return;
    }
  }
  g.b = b; g.oy = oy; g.ox = ox;
  const rowBytes = <usize>k << 2;
  for (let r = 0; r < MR; r++) {
    const row = rows + <usize>r * rowBytes;
    if (r < mr) {
      gatherHere(g, row);
      nextPixel(g);
    } else {
      memory.fill(row, 0, rowBytes);
    }
  }
  f32_pack_a_mr(k, rows, rowBytes, dst);
}

// Transpose n floats from each of MR rows into n groups of MR at dst, four at a time then the last
// n mod 4 one by one. p5 is ignored when MR = 5.
function packRows(n: i32, p0: usize, p1: usize, p2: usize, p3: usize, p4: usize, p5: usize, dst: usize): void {
  const g: usize = <usize>MR << 2;
  for (let k = n & ~3; k < n; k++) {
    const o = <usize>k << 2;
    const d = dst + <usize>k * g;
    store<f32>(d, load<f32>(p0 + o)); store<f32>(d, load<f32>(p1 + o), 4);
    store<f32>(d, load<f32>(p2 + o), 8); store<f32>(d, load<f32>(p3 + o), 12);
    store<f32>(d, load<f32>(p4 + o), 16);
    if (MR == 6) store<f32>(d, load<f32>(p5 + o), 20);
  }
  for (let k = 0; k + 4 <= n; k += 4) {
    const o = <usize>k << 2;
    const x0 = v128.load(p0 + o), x1 = v128.load(p1 + o);
    const x2 = v128.load(p2 + o), x3 = v128.load(p3 + o);
    const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
    const t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
    const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
    const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
    v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
    v128.store(dst + g, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
    v128.store(dst + g * 2, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
    v128.store(dst + g * 3, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
    const y4 = v128.load(p4 + o);
    if (MR == 6) {
      const y5 = v128.load(p5 + o);
      const q0 = i32x4.shuffle(y4, y5, 0, 4, 1, 5);
      const q1 = i32x4.shuffle(y4, y5, 2, 6, 3, 7);
      v128.store64_lane(dst, q0, 0, 16);
      v128.store64_lane(dst + g, q0, 1, 16);
      v128.store64_lane(dst + g * 2, q1, 0, 16);
      v128.store64_lane(dst + g * 3, q1, 1, 16);
    } else {
      v128.store32_lane(dst, y4, 0, 16);
      v128.store32_lane(dst + g, y4, 1, 16);
      v128.store32_lane(dst + g * 2, y4, 2, 16);
      v128.store32_lane(dst + g * 3, y4, 3, 16);
    }
    dst += g * 4;
  }
}
