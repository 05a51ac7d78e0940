// Edge tiles. A tile cut by the edge of C (mr < MR rows or nr < NR columns) is computed into a
// full MR x NR scratch tile and its valid corner copied back, so the micro-kernels only ever see
// full tiles and never read or write outside the caller's part of C.
import { GEMM_MR as MR, GEMM_NR as NR, UK_BIAS, UK_LOAD_C } from "./isa";

/** Initialise the MR x NR scratch tile (row stride NR floats) for the mr x nr corner of C at c
 *  (row stride ldc bytes): C values with UK_LOAD_C, plus bias[0..nr) with UK_BIAS, else zero. */
export function f32_tile_load(tile: usize, c: usize, ldc: usize, mr: i32, nr: i32, bias: usize, flags: u32): void {
  for (let r = 0; r < MR; r++) {
    const t = tile + <usize>(r * NR) * 4;
    for (let j = 0; j < NR; j++) {
      let v: f32 = 0;
      if (r < mr && j < nr) {
        if (flags & UK_LOAD_C) v = load<f32>(c + (<usize>j << 2));
        if (flags & UK_BIAS) v += load<f32>(bias + (<usize>j << 2));
      }
      store<f32>(t + (<usize>j << 2), v);
    }
    c += ldc;
  }
}

/** Copy the valid mr x nr corner of the scratch tile back into C at c (row stride ldc bytes). */
export function f32_tile_store(tile: usize, c: usize, ldc: usize, mr: i32, nr: i32): void {
  for (let r = 0; r < mr; r++) {
    const t = tile + <usize>(r * NR) * 4;
    for (let j = 0; j < nr; j++) store<f32>(c + (<usize>j << 2), load<f32>(t + (<usize>j << 2)));
    c += ldc;
  }
}

/** Copy the valid mr x nr corner of the scratch tile back into C through a table of row addresses
 *  (mr usizes at rows): for output rows that are not evenly spaced. colBytes is added to each. */
export function f32_tile_store_rows(tile: usize, rows: usize, mr: i32, nr: i32, colBytes: usize): void {
  for (let r = 0; r < mr; r++) {
    const t = tile + <usize>(r * NR) * 4;
    const c = load<usize>(rows + (<usize>r << alignof<usize>())) + colBytes;
    for (let j = 0; j < nr; j++) store<f32>(c + (<usize>j << 2), load<f32>(t + (<usize>j << 2)));
  }
}
