// The tfjs-core 4.22 spec files (paths under @tensorflow/tfjs-core/dist) that exercise the kernels
// src/kernels/ops/register_all.ts owns, their neighbours, and every op a training step takes.

/** Spec files run on stock `wasm` (1 thread) and on ours (2 threads). */
export const SPEC_FILES: readonly string[] = [
  // BatchMatMul, _FusedMatMul, and the activations _FusedMatMul must apply
  'ops/mat_mul_test.js',
  'ops/fused/fused_mat_mul_test.js',
  'ops/elu_test.js',
  'ops/relu6_test.js',
  'ops/leaky_relu_test.js',
  'ops/sigmoid_test.js',
  'ops/tanh_test.js',
  // Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput, FusedConv2D
  'ops/conv2d_test.js',
  'ops/conv1d_test.js',
  'ops/conv2d_transpose_test.js',
  'ops/conv2d_separable_test.js',
  'ops/fused/fused_conv2d_test.js',
  // MaxPool, MaxPoolGrad and the other pools
  'ops/max_pool_test.js',
  'ops/avg_pool_test.js',
  'ops/pool_test.js',
  'ops/max_pool_with_argmax_test.js',
  // Relu and its gradient (ReluGrad), Step, dropout, Sum, Multiply, Add, Sub, RealDiv, Square, Sqrt and the elementwise
  // neighbours
  'ops/relu_test.js',
  'ops/step_test.js',
  'ops/dropout_test.js',
  'ops/dropout_util_test.js',
  'ops/sum_test.js',
  'ops/mean_test.js',
  'ops/arithmetic_test.js',
  'ops/add_test.js',
  'ops/sub_test.js',
  'ops/square_test.js',
  'ops/sqrt_test.js',
  'ops/binary_ops_test.js',
  'ops/batchnorm_test.js',
  'ops/moments_test.js',
  // Tile (batch norm's gradient tiles channel vectors over whole activations)
  'ops/tile_test.js',
  // Cast and Identity (clones that share their input's data)
  'ops/clone_test.js',
  'variable_test.js',
  // losses
  'ops/softmax_test.js',
  'ops/log_softmax_test.js',
  'ops/losses/absolute_difference_test.js',
  'ops/losses/compute_weighted_loss_test.js',
  'ops/losses/cosine_distance_test.js',
  'ops/losses/hinge_loss_test.js',
  'ops/losses/huber_loss_test.js',
  'ops/losses/log_loss_test.js',
  'ops/losses/mean_squared_error_test.js',
  'ops/losses/sigmoid_cross_entropy_test.js',
  'ops/losses/softmax_cross_entropy_test.js',
  // every optimizer
  'optimizers/adadelta_optimizer_test.js',
  'optimizers/adagrad_optimizer_test.js',
  'optimizers/adam_optimizer_test.js',
  'optimizers/adamax_optimizer_test.js',
  'optimizers/momentum_optimizer_test.js',
  'optimizers/optimizer_test.js',
  'optimizers/rmsprop_optimizer_test.js',
  'optimizers/sgd_optimizer_test.js',
  // gradients and the tape
  'gradients_test.js',
  'tape_test.js',
];

/** The files whose kernels our fork-join threads split: run on ours at 1, 3 and 4 threads as well. */
export const THREADED_SPEC_FILES: readonly string[] = [
  'ops/mat_mul_test.js',
  'ops/fused/fused_mat_mul_test.js',
  'ops/conv2d_test.js',
  'ops/conv2d_transpose_test.js',
  'ops/fused/fused_conv2d_test.js',
  'ops/max_pool_test.js',
  'ops/avg_pool_test.js',
  'ops/pool_test.js',
  'ops/relu_test.js',
  'ops/step_test.js',
  'ops/sum_test.js',
  'ops/mean_test.js',
  'ops/tile_test.js',
  'ops/arithmetic_test.js',
];
