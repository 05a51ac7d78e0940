import type { backend_util } from '@tensorflow/tfjs-core';

/** A convolution's padding as tfjs's attrs carry it: a mode, one number, or explicit [before, after] per dimension. */
type ConvPad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/**
 * The padding for the NHWC form of a convolution given in `dataFormat`: explicit pads list the dimensions
 * in the tensor's own order, so NCHW's [N, C, H, W] pairs become [N, H, W, C]'s; modes and numbers stay.
 */
export function padForNhwc<P extends ConvPad>(pad: P, dataFormat: 'NHWC' | 'NCHW'): P {
  if (dataFormat !== 'NCHW' || !Array.isArray(pad)) return pad;
  const [n, c, h, w] = pad as backend_util.ExplicitPadding;
  return [n, h, w, c] as backend_util.ExplicitPadding as P;
}
