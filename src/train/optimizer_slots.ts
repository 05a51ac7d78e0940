// What the fused optimizers (RMSprop, Adam, momentum) share with tfjs's own: the gradients in applyGradients'
// two forms, and the per-variable state slots tfjs keeps, so either path continues the other.
import * as tf from '@tensorflow/tfjs-core';

/** A list of named tensors, as tfjs's optimizers take gradients and give weights (not exported by tfjs-core). */
export type NamedTensors = Awaited<ReturnType<tf.Optimizer['getWeights']>>;

/** One per-variable slot of a tfjs optimizer's state (tfjs's OptimizerVariable). */
export interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** The gradients as a list, in the order tfjs's own applyGradients indexes its slots by. */
export function namedGradients(variableGradients: tf.NamedTensorMap | NamedTensors): NamedTensors {
  return Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
}

/** The variable a gradient is for; tfjs's optimizers look it up by name the same way. */
export function registeredVariable(name: string, optimizer: string): tf.Variable {
  const value = tf.engine().registeredVariables[name];
  if (value === undefined) throw new Error(`${optimizer}: no variable named ${name}`);
  return value;
}

/** Slot `i` of `slots`, made as tfjs makes it (zeros like the variable, not trainable, named `${name}${suffix}`) if missing. */
export function slotAt(slots: Slot[], i: number, value: tf.Variable, suffix: string): Slot {
  slots[i] ??= { originalName: `${value.name}${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  return slots[i];
}
