// Entry of kernels_simd.wasm, compiled with --enable simd,threads: 5x8 tiles with mul + add.
// Besides the shared exports, it names its own tile's building blocks (for benchmarks) by their ISA.
export * from "./exports";
export { f32_gemm__wasmsimd as f32_gemm_5x8__wasmsimd } from "./gemm";
export { f32_gemm_ukernel_5x8 as f32_gemm_ukernel_5x8__wasmsimd } from "./ukernel_5x8";
export { f32_pack_a_mr as f32_pack_a_mr5__wasmsimd } from "./pack_a";
