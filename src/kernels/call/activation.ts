import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Composition } from './compose.js';

/** The inputs and attributes tfjs's fused kernels (_FusedMatMul, FusedConv2D) add for their activation. */
export interface FusedActivation {
  activation?: string | undefined;
  preluActivationWeights?: TensorInfo | null | undefined;
  leakyreluAlpha?: number | undefined;
}

/**
 * tfjs-core's `applyActivation`, kernel by kernel on the composition's backend, as the last step of a
 * composition: its output is the caller's result (Identity, sharing x's data, when linear). leakyreluAlpha
 * defaults to 0.2 as the leakyRelu op's alpha does.
 */
export function applyActivation(steps: Composition, x: TensorInfo, fused: FusedActivation): TensorInfo {
  const activation = fused.activation ?? 'linear';
  const unary: Record<string, string> = { relu: 'Relu', elu: 'Elu', relu6: 'Relu6', sigmoid: 'Sigmoid' };
  const name = unary[activation];
  if (activation === 'linear') return steps.run('Identity', { x }, {}, true);
  if (name !== undefined) return steps.run(name, { x }, {}, true);
  if (activation === 'leakyrelu') return steps.run('LeakyRelu', { x }, { alpha: fused.leakyreluAlpha ?? 0.2 }, true);
  if (activation !== 'prelu') throw new Error(`Unknown fused activation ${activation}.`);
  const alpha = fused.preluActivationWeights;
  if (alpha == null) throw new Error('the prelu activation needs preluActivationWeights');
  return steps.run('Prelu', { x, alpha: preluAlpha(steps, x, alpha) }, {}, true);
}

// Whether the stock Prelu kernel broadcasts this alpha right (see preluAlpha).
function stockPreluBroadcasts(x: readonly number[], alpha: TensorInfo): boolean {
  const first = alpha.shape.findIndex((d) => d !== 1);
  const dims = first < 0 ? [] : alpha.shape.slice(first);
  return alpha.dtype === 'float32' && dims.length <= x.length && dims.every((d, i) => d === x[x.length - dims.length + i]);
}

// The stock Prelu kernel repeats alpha over x (index modulo alpha's size), which is broadcasting only when
// alpha's shape, leading ones dropped, is x's trailing shape; else alpha is first broadcast to x's shape.
function preluAlpha(steps: Composition, x: TensorInfo, alpha: TensorInfo): TensorInfo {
  if (stockPreluBroadcasts(x.shape, alpha)) return alpha;
  const float = alpha.dtype === 'float32' ? alpha : steps.run('Cast', { x: alpha }, { dtype: 'float32' });
  return steps.run('Add', { a: steps.run('ZerosLike', { x }), b: float });
}
