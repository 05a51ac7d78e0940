// The notebook's fused layers record their forward pass under kernel names of this project's own, so that
// the gradients they need can be registered without touching anybody else's. tfjs keeps kernels and
// gradients in process-wide registries: a gradient registered for `_FusedMatMul` or `FusedConv2D` would
// replace tfjs's for every program in the process. A private name is invisible to everyone else, and it
// is registered only when a layer of ours first runs on a backend, never on import.
import * as tf from '@tensorflow/tfjs-core';

/** A kernel of this project's own name that runs a backend's kernel of tfjs's name, with its own gradient. */
export interface PrivateKernel {
  /** The name the tape records, e.g. `AlnumDenseBiasActivation`. */
  readonly name: string;
  /** The tfjs kernel every backend has that computes it, e.g. `_FusedMatMul`. */
  readonly runs: string;
  /** The gradient of the private kernel, registered with it. */
  readonly gradient: Omit<tf.GradConfig, 'kernelName'>;
}

/**
 * Makes `kernel` runnable on the current backend: registers it there (once) as a call of that backend's
 * own kernel, and its gradient (once). False when the backend lacks the kernel it runs, so that the caller
 * takes tfjs-layers' own path instead.
 */
export function privateKernelOnCurrentBackend(kernel: PrivateKernel): boolean {
  const backendName = tf.getBackend();
  if (tf.getKernel(kernel.name, backendName) !== undefined) return true;
  if (tf.getKernel(kernel.runs, backendName) === undefined) return false;
  tf.registerKernel({
    kernelName: kernel.name,
    backendName,
    // Looked up per call rather than captured, so that it always runs what the backend has registered now.
    kernelFunc: (args) => tf.getKernel(kernel.runs, backendName)!.kernelFunc(args),
  });
  if (tf.getGradient(kernel.name) === undefined) tf.registerGradient({ kernelName: kernel.name, ...kernel.gradient });
  return true;
}
