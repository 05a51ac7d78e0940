// Exports shared by both builds. The thread runtime calls f32_gemm by this stable name whichever
// module it loaded; the ISA-specific names are added by the entry files relaxed.ts and simd.ts.
import { GEMM_MR, GEMM_NR } from "./isa";

export { f32_gemm, f32_gemm_scratch_size } from "./gemm";
export { f32_gemm_tiles } from "./tiles";
export { f32_pack_b_nr8, f32_pack_bt_nr8 } from "./pack";

/** Rows of the register tile (6 with relaxed-SIMD FMA, 5 with plain SIMD): align M splits to it. */
export function f32_gemm_mr(): i32 { return GEMM_MR; }

/** Columns of the register tile (8): align N splits to it. */
export function f32_gemm_nr(): i32 { return GEMM_NR; }

/** 1 when this module multiplies-adds with relaxed-SIMD FMA, 0 when with f32x4.mul + f32x4.add. */
export function kernels_isa(): i32 { return ASC_FEATURE_RELAXED_SIMD ? 1 : 0; }

export { f32_conv2d_igemm, f32_conv2d_igemm_scratch_size } from "./conv_igemm";
export { f32_conv2d_pack_filter_nr8 } from "./conv_pack_filter";
export {
  f32_conv2d_backprop_filter_gemm, f32_conv2d_backprop_filter_reduce,
  f32_conv2d_backprop_filter_partial_size, f32_conv2d_backprop_filter_scratch_size,
} from "./conv_backprop_filter";
export { f32_maxpool2d_nhwc, f32_maxpool2d_grad_nhwc } from "./maxpool";
export { f32_conv2d_c1_direct, f32_conv2d_c1_scratch_size } from "./conv_direct_c1";
export { f32_conv2d_n1_direct, f32_conv2d_n1_scratch_size } from "./conv_direct_n1";
export { f32_conv2d_backprop_filter_c1, f32_conv2d_backprop_filter_c1_scratch_size } from "./conv_backprop_filter_c1";
export {
  f32_conv2d_winograd, f32_conv2d_winograd_filter, f32_conv2d_winograd_filter_size, f32_conv2d_winograd_scratch_size,
} from "./winograd";
export {
  f32_conv2d_backprop_filter_winograd, f32_conv2d_backprop_filter_winograd_reduce,
  f32_conv2d_backprop_filter_winograd_partial_size, f32_conv2d_backprop_filter_winograd_scratch_size,
} from "./winograd_backprop_filter";
export { f32_rmsprop_simd } from "./rmsprop";
export { f32_dropout_hash_simd } from "./dropout";
export { f32_sum_rows_blocks, f32_sum_partials } from "./sum_rows";
export { f32_mul_simd, f32_mul_scalar_simd, f32_relu_simd, f32_relu_grad_simd, f32_step_simd } from "./elementwise";
