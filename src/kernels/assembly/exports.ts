// Exports shared by both builds. The thread runtime calls f32_gemm__wasmsimd by this stable name whichever
// module it loaded; the ISA-specific names are added by the entry files relaxed.ts and simd.ts.
import { GEMM_MR, GEMM_NR } from "./isa";

export { f32_gemm__wasmsimd, f32_gemm_scratch_size } from "./gemm";
export { f32_gemm_tiles__wasmsimd } from "./tiles";
export { f32_pack_b_nr8__wasmsimd, f32_pack_bt_nr8__wasmsimd } from "./pack";

/** Rows of the register tile (6 with relaxed-SIMD FMA, 5 with plain SIMD): align M splits to it. */
export function f32_gemm_mr(): i32 { return GEMM_MR; }

/** Columns of the register tile (8): align N splits to it. */
export function f32_gemm_nr(): i32 { return GEMM_NR; }

/** 1 when this module multiplies-adds with relaxed-SIMD FMA, 0 when with f32x4.mul + f32x4.add. */
export function kernels_isa(): i32 { return ASC_FEATURE_RELAXED_SIMD ? 1 : 0; }

export { f32_conv2d_igemm__wasmsimd, f32_conv2d_igemm_scratch_size } from "./conv_igemm";
export { f32_conv2d_pack_filter_nr8__wasmsimd } from "./conv_pack_filter";
export {
  f32_conv2d_igemm_phase__wasmsimd, f32_conv2d_igemm_phase_scratch_size, f32_conv2d_pack_filter_phase_nr8__wasmsimd,
} from "./conv_igemm_phase";
export {
  f32_conv2d_backprop_filter_gemm__wasmsimd, f32_conv2d_backprop_filter_reduce__wasmsimd,
  f32_conv2d_backprop_filter_partial_size, f32_conv2d_backprop_filter_scratch_size,
} from "./conv_backprop_filter";
export { f32_maxpool2d_nhwc__wasmsimd, f32_maxpool2d_grad_nhwc__wasmsimd } from "./maxpool";
export { f32_avgpool2d_nhwc__wasmsimd, f32_avgpool2d_grad_nhwc__wasmsimd } from "./avgpool";
export { f32_batchnorm_nhwc__wasmsimd } from "./batchnorm";
export { f32_conv2d_c1_direct__wasmsimd, f32_conv2d_c1_scratch_size } from "./conv_direct_c1";
export { f32_conv2d_n1_direct__wasmsimd, f32_conv2d_n1_scratch_size } from "./conv_direct_n1";
export { f32_conv2d_backprop_filter_c1__wasmsimd, f32_conv2d_backprop_filter_c1_scratch_size } from "./conv_backprop_filter_c1";
export {
  f32_conv2d_winograd_2x2_3x3__wasmsimd, f32_conv2d_winograd_4x4_3x3__wasmsimd, f32_conv2d_winograd_filter_2x2_3x3__wasmsimd,
  f32_conv2d_winograd_filter_4x4_3x3__wasmsimd, f32_conv2d_winograd_filter_size, f32_conv2d_winograd_scratch_size,
} from "./winograd";
export {
  f32_conv2d_backprop_filter_winograd_3x3_2x2__wasmsimd, f32_conv2d_backprop_filter_winograd_3x3_4x4__wasmsimd,
  f32_conv2d_backprop_filter_winograd_reduce_3x3_2x2__wasmsimd, f32_conv2d_backprop_filter_winograd_reduce_3x3_4x4__wasmsimd,
  f32_conv2d_backprop_filter_winograd_partial_size, f32_conv2d_backprop_filter_winograd_scratch_size,
} from "./winograd_backprop_filter";
export { f32_rmsprop__wasmsimd } from "./rmsprop";
export { f32_adam__wasmsimd } from "./adam";
export { f32_momentum__wasmsimd } from "./momentum";
export { f32_dropout_hash__wasmsimd } from "./dropout";
export { f32_relu_grad_sum_rows_blocks__wasmsimd, f32_sum_partials__wasmsimd, f32_sum_rows_blocks__wasmsimd } from "./sum_rows";
export { f32_relu__wasmsimd, f32_relu_grad__wasmsimd, f32_step__wasmsimd } from "./elementwise";
export { x32_tile__wasmsimd } from "./tile_copy";
export {
  f32_add__wasmsimd, f32_add_channels__wasmsimd, f32_add_scalar__wasmsimd, f32_mul__wasmsimd, f32_mul_channels__wasmsimd,
  f32_mul_scalar__wasmsimd, f32_div__wasmsimd, f32_div_channels__wasmsimd,
  f32_div_scalar__wasmsimd, f32_rdiv_channels__wasmsimd, f32_rdiv_scalar__wasmsimd, f32_rsub_channels__wasmsimd,
  f32_rsub_scalar__wasmsimd, f32_sqrt__wasmsimd, f32_square__wasmsimd, f32_sub__wasmsimd, f32_sub_channels__wasmsimd,
  f32_sub_scalar__wasmsimd,
} from "./arithmetic";
export { f32_elu__wasmsimd, f32_elu_grad__wasmsimd, f32_sigmoid__wasmsimd, f32_tanh__wasmsimd } from "./elementwise_math";
export { f32_unit_scale_u8__wasmsimd } from "./unit_scale";
