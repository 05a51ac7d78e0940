import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ActiveBackend } from './types.js';

/** Starts tfjs's plain JavaScript backend: always available, single-threaded, slowest. */
export async function openCpu(): Promise<ActiveBackend> {
  await tf.setBackend('cpu');
  // The CPU backend prints an advert for tfjs-node on first use; our users chose their backend.
  Object.assign(tf.backend(), { firstUse: false });
  return { name: 'cpu', tfjsName: 'cpu', detail: 'plain JavaScript, 1 thread', threads: 1, close: async () => {} };
}
