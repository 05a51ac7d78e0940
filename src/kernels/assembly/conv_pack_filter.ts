// Packing a convolution filter into the B operand of its implicit GEMM: 8-column panels of all K
// rows (panel j at dst + j*K*32 bytes), the layout the micro-kernels stream. Packed once per call
// into shared scratch, it is read by every thread.
import { f32_pack_b_nr8__wasmsimd, f32_pack_bt_nr8__wasmsimd } from "./pack";

/** Pool entry: pack panels [lo, hi) of the HWIO filter w (taps = fh*fw, cin, cout). flip = 0 packs
 *  the forward operand B[tap*cin + ci][co]; flip = 1 the input-gradient operand, the filter rotated
 *  by 180 degrees with in and out channels swapped: B[tap*cout + co][ci] = w[taps-1-tap][ci][co]. */
export function f32_conv2d_pack_filter_nr8__wasmsimd(
  w: usize, taps: i32, cin: i32, cout: i32, flip: i32, dst: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const n = flip ? cin : cout;
  const k = flip ? taps * cout : taps * cin;
  for (let j = lo; j < hi; j++) {
    const col = j << 3;
    const nc = min(8, n - col);
    let panel = dst + (<usize>j * k << 5);
    if (!flip) {
      f32_pack_b_nr8__wasmsimd(k, nc, w + (<usize>col << 2), <usize>cout << 2, panel);
      continue;
    }
    // Each tap's [cin][cout] block, transposed, gives cout rows of the panel.
    for (let t = taps - 1; t >= 0; t--) {
      const block = w + (<usize>(t * cin + col) * cout << 2);
      f32_pack_bt_nr8__wasmsimd(cout, nc, block, <usize>cout << 2, panel);
      panel += <usize>cout << 5;
    }
  }
}
