// Entry of kernels_relaxed.wasm, compiled with --enable simd,threads,relaxed-simd: 6x8 FMA tiles.
export * from "./exports";
export { f32_gemm as f32_gemm_6x8__wasmrelaxedsimd_fma } from "./gemm";
export { f32_gemm_ukernel_6x8 } from "./ukernel_6x8";
export { f32_pack_a_mr as f32_pack_a_mr6 } from "./pack_a";
