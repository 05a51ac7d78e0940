import * as tf from '@tensorflow/tfjs-core';
import { APPLY_MOMENTUM, type ApplyMomentumAttrs } from '../kernels/ops/apply_momentum.js';
import { namedGradients, registeredVariable, type Slot, slotAt } from './optimizer_slots.js';

/**
 * The private state of tfjs's MomentumOptimizer. The fused path keeps its accumulations in the same slots, so
 * that either path can continue the other and getWeights/setWeights see one state; it multiplies by the same
 * scalar tensors (`m` is made once, in the constructor: tfjs's setMomentum does not change it).
 */
interface MomentumState {
  useNesterov: boolean;
  accumulations: Slot[];
  m: tf.Scalar;
  c: tf.Scalar;
}

/**
 * tfjs's momentum SGD (with or without Nesterov) with each variable's update fused into one `ApplyMomentum`
 * kernel call where the backend has that kernel: one pass over x, acc and g instead of 4 (6 with Nesterov)
 * elementwise kernels, with the same results bit for bit. Elsewhere (cpu, stock wasm, cuda) it is tfjs's
 * own optimizer. Its class name is tfjs's (`Momentum`), so a saved model's optimizer config reloads as tfjs's.
 */
export class FusedMomentumOptimizer extends tf.MomentumOptimizer {
  override applyGradients(variableGradients: Parameters<tf.MomentumOptimizer['applyGradients']>[0]): void {
    if (tf.getKernel(APPLY_MOMENTUM, tf.getBackend()) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as MomentumState;
    // The optimizer owns the variables and their accumulations, so the kernel may overwrite them.
    const attrs: ApplyMomentumAttrs = { useNesterov: state.useNesterov, inPlace: true };
    namedGradients(variableGradients).forEach(({ name, tensor: gradient }, i) => {
      // Indexed by position, as tfjs's own applyGradients does, so the two paths share slots.
      const value = registeredVariable(name, 'Momentum');
      const acc = slotAt(state.accumulations, i, value, '/momentum');
      if (gradient == null) return;
      tf.tidy(() => {
        const inputs = { x: value, acc: acc.variable, g: gradient, momentum: state.m, c: state.c };
        const [x, acc1] = tf.engine().runKernel(APPLY_MOMENTUM, inputs, attrs) as tf.Tensor[];
        acc.variable.assign(acc1!);
        value.assign(x!);
      });
    });
    this.incrementIterations();
  }
}

/**
 * tfjs's `tf.train.momentum(learningRate, momentum, useNesterov)` (same state, same results bit for bit), with
 * each variable's update one fused kernel call on this package's backend and tfjs's own elsewhere.
 */
export function momentum(learningRate: number, momentum: number, useNesterov = false): tf.MomentumOptimizer {
  return new FusedMomentumOptimizer(learningRate, momentum, useNesterov);
}
