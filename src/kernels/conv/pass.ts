// What the convolution drivers share: the description of one implicit-GEMM pass (igemm.ts runs it,
// winograd.ts runs the 3x3 stride-1 ones) and how a kernel's range is cut into chunks for the pool.
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** One implicit-GEMM pass: out[m, n] = patches of src · packed filter (+ bias)(ReLU). */
export interface IgemmPass {
  /** NHWC source: x for the forward pass, dy for the input gradient. */
  src: TensorInfo;
  srcH: number;
  srcW: number;
  /** Source channels. */
  c: number;
  /** Output grid: m = batch * dstH * dstW pixels. */
  dstH: number;
  dstW: number;
  fh: number;
  fw: number;
  strideH: number;
  strideW: number;
  padT: number;
  padL: number;
  /** Source upsampling (the forward stride, for the input gradient); 1 for the forward pass. */
  upH: number;
  upW: number;
  /** Output pixels. */
  m: number;
  /** Output channels. */
  n: number;
  /** HWIO filter [fh, fw, cin, cout]. */
  filter: TensorInfo;
  /** Use the filter rotated 180 degrees with in/out channels swapped (input gradient). */
  flip: boolean;
  /** Output [m, n], already allocated. */
  out: TensorInfo;
  /** Optional bias [n]. */
  bias?: TensorInfo;
  /** Clamp at 0 after the bias. */
  relu: boolean;
}

// Chunks per thread: more chunks than threads let a thread that finishes early (the machine is
// shared) take over work instead of waiting for a slow one.
const CHUNKS_PER_THREAD = 4;

/** How many chunks to split a kernel's range into for `threads` threads. */
export function chunks(threads: number): number {
  return threads === 1 ? 1 : threads * CHUNKS_PER_THREAD;
}
