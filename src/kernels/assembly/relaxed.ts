// Entry of kernels_relaxed.wasm, compiled with --enable simd,threads,relaxed-simd: 6x8 FMA tiles.
// Besides the shared exports, it names its own tile's building blocks (for benchmarks) by their ISA.
export * from "./exports";
export { f32_gemm__wasmsimd as f32_gemm_6x8__wasmrelaxedsimd_fma } from "./gemm";
export { f32_gemm_ukernel_6x8 as f32_gemm_ukernel_6x8__wasmrelaxedsimd_fma } from "./ukernel_6x8";
export { f32_pack_a_mr as f32_pack_a_mr6__wasmsimd } from "./pack_a";
