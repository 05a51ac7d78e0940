import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../util/user_error.js';
import type { ActiveBackend } from './types.js';

/** How the CUDA backend's package is loaded; tests replace it to play a machine with or without a GPU. */
export type CudaModuleLoader = () => Promise<unknown>;

const loadTfjsNodeGpu: CudaModuleLoader = () => import('@tensorflow/tfjs-node-gpu' as string);

/**
 * Starts TensorFlow's native CUDA backend through `@tensorflow/tfjs-node-gpu`, only when it really runs on
 * a GPU: the package loads and silently computes on the CPU when the CUDA libraries are missing.
 */
export async function openCuda(load: CudaModuleLoader = loadTfjsNodeGpu): Promise<ActiveBackend> {
  try {
    await load();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new UserError('@tensorflow/tfjs-node-gpu is not installed (its native library could not be installed here)');
    }
    throw new UserError(`@tensorflow/tfjs-node-gpu failed to load: ${firstLine(error)}`);
  }
  if (tf.findBackendFactory('tensorflow') === null) {
    throw new UserError('@tensorflow/tfjs-node-gpu loaded but registered no "tensorflow" backend');
  }
  if (!(await tf.setBackend('tensorflow'))) {
    throw new UserError('the native TensorFlow backend failed to start');
  }
  const backend = tf.backend() as { isUsingGpuDevice?: unknown };
  if (backend.isUsingGpuDevice !== true) {
    throw new UserError('TensorFlow found no usable GPU (it needs CUDA 11.2 and cuDNN 8.1) and would run on the CPU');
  }
  return { name: 'cuda', tfjsName: 'tensorflow', detail: 'TensorFlow 2.9 native, CUDA GPU', threads: 1, close: async () => {} };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? 'unknown error';
}
