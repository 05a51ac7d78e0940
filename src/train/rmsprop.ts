import * as tf from '@tensorflow/tfjs-core';
import { APPLY_RMSPROP, type ApplyRMSPropAttrs } from '../kernels/ops/apply_rms_prop.js';
import { type NamedTensors, namedGradients, registeredVariable, type Slot, slotAt } from './optimizer_slots.js';

/**
 * The private state of tfjs's RMSPropOptimizer. The fused path keeps its mean squares in the same slots,
 * so that either path can continue the other and getWeights/setWeights see one state.
 */
interface RMSPropState {
  centered: boolean;
  accumulatedMeanSquares: Slot[];
  accumulatedMoments: Slot[];
}

/**
 * tfjs's RMSprop (the notebook's: rho 0.9, momentum 0, not centred, epsilon the backend's, 1e-7 in float32)
 * with each variable's update fused into one `ApplyRMSProp` kernel call where the backend has that kernel:
 * one pass over x, ms and g instead of about ten elementwise kernels, with the same results bit for bit.
 * Elsewhere (cpu, stock wasm, cuda), or with momentum or centring, it is tfjs's own optimizer.
 */
export class FusedRMSPropOptimizer extends tf.RMSPropOptimizer {
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensors): void {
    const state = this as unknown as RMSPropState;
    if (this.momentum !== 0 || state.centered || tf.getKernel(APPLY_RMSPROP, tf.getBackend()) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    // The optimizer owns the variables and their mean squares, so the kernel may overwrite them.
    const attrs: ApplyRMSPropAttrs = { learningRate: this.learningRate, decay: this.decay, epsilon: this.epsilon, inPlace: true };
    namedGradients(variableGradients).forEach(({ name, tensor: gradient }, i) => {
      // Indexed by position, as tfjs's own applyGradients does, so the two paths share slots.
      const value = registeredVariable(name, 'RMSprop');
      const slot = slotAt(state.accumulatedMeanSquares, i, value, '/rms');
      if (gradient == null) return;
      tf.tidy(() => {
        const [x, ms] = tf.engine().runKernel(APPLY_RMSPROP, { x: value, ms: slot.variable, g: gradient }, attrs) as tf.Tensor[];
        slot.variable.assign(ms!);
        value.assign(x!);
      });
    });
    this.incrementIterations();
  }

  /** tfjs's weights: the iteration count, then every mean square, then every moment (zeros: momentum is 0). */
  override async getWeights(): Promise<NamedTensors> {
    const state = this as unknown as RMSPropState;
    // The fused path never needs moments; tfjs's layout (and setWeights) expects one per mean square.
    state.accumulatedMeanSquares.forEach((ms, i) => {
      state.accumulatedMoments[i] ??= {
        originalName: ms.originalName.replace(/\/rms$/, '/momentum'),
        variable: tf.tidy(() => tf.zerosLike(ms.variable).variable(false)),
      };
    });
    return super.getWeights();
  }
}

/** The optimizer every training run and benchmark uses: tfjs's `tf.train.rmsprop(learningRate)`, fused where it can be. */
export function rmsprop(learningRate: number): tf.Optimizer {
  return new FusedRMSPropOptimizer(learningRate);
}
