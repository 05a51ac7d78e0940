import * as tf from '@tensorflow/tfjs-core';
import { APPLY_ADAM, type ApplyAdamAttrs } from '../kernels/ops/apply_adam.js';
import { namedGradients, registeredVariable, type Slot, slotAt } from './optimizer_slots.js';

/**
 * The private state of tfjs's AdamOptimizer. The fused path keeps its moments in the same slots and its
 * beta powers in the same variables, so that either path can continue the other and getWeights/setWeights
 * see one state.
 */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
}

/**
 * tfjs's Adam with each variable's update fused into one `ApplyAdam` kernel call where the backend has that
 * kernel: one pass over x, m, v and g instead of 14 elementwise kernels and 6 scalar uploads, with the same
 * results bit for bit. Elsewhere (cpu, stock wasm, cuda) it is tfjs's own optimizer. Its class name is
 * tfjs's (`Adam`), so a saved model's optimizer config reloads as tfjs's Adam.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (tf.getKernel(APPLY_ADAM, tf.getBackend()) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    // The optimizer owns the variables and their moments, so the kernel may overwrite them.
    const attrs: ApplyAdamAttrs = { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, inPlace: true };
    namedGradients(variableGradients).forEach(({ name, tensor: gradient }, i) => {
      // Indexed by position, as tfjs's own applyGradients does, so the two paths share slots.
      const value = registeredVariable(name, 'Adam');
      const m = slotAt(state.accumulatedFirstMoment, i, value, '/m');
      const v = slotAt(state.accumulatedSecondMoment, i, value, '/v');
      if (gradient == null) return;
      tf.tidy(() => {
        const inputs = { x: value, m: m.variable, v: v.variable, g: gradient, accBeta1: state.accBeta1, accBeta2: state.accBeta2 };
        const [x, m1, v1] = tf.engine().runKernel(APPLY_ADAM, inputs, attrs) as tf.Tensor[];
        m.variable.assign(m1!);
        v.variable.assign(v1!);
        value.assign(x!);
      });
    });
    // tfjs's own update of the beta powers, after all variables, as its applyGradients does.
    tf.tidy(() => {
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/**
 * tfjs's `tf.train.adam(learningRate, beta1, beta2, epsilon)` (same defaults, same state, same results bit for
 * bit), with each variable's update one fused kernel call on this package's backend and tfjs's own elsewhere.
 */
export function adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): tf.AdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
