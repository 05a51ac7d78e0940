// Entry of kernels_simd.wasm, compiled with --enable simd,threads: 5x8 tiles with mul + add.
export * from "./exports";
export { f32_gemm as f32_gemm_5x8__wasmsimd } from "./gemm";
export { f32_gemm_ukernel_5x8 } from "./ukernel_5x8";
export { f32_pack_a_mr as f32_pack_a_mr5 } from "./pack_a";
