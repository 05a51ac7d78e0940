import { UserError } from '../util/user_error.js';
import { openCpu } from './cpu.js';
import { openCuda } from './cuda.js';
import { openStockWasm } from './tfjs_wasm.js';
import type { ActiveBackend, BackendName, BackendOpener, BackendOptions } from './types.js';
import { openWasm } from './wasm.js';

/** What `--backend` accepts: a backend, or `auto` for the fastest that starts. */
export type BackendRequest = BackendName | 'auto';

/** How to start each backend; tests swap entries to play other machines. */
export const OPENERS: Record<BackendName, BackendOpener> = {
  cuda: () => openCuda(),
  wasm: openWasm,
  'tfjs-wasm': openStockWasm,
  cpu: openCpu,
};

/** The order `auto` tries backends in: CUDA when a GPU is really there, else our WASM SIMD kernels. */
export const AUTO_ORDER: readonly BackendName[] = ['cuda', 'wasm'];

/** A started backend and the one line that says why it was chosen. */
export interface Selection {
  backend: ActiveBackend;
  /** e.g. `backend: wasm (WASM SIMD, 2 threads); skipped cuda: no usable GPU`. */
  line: string;
}

/**
 * Starts the requested backend, or for `auto` the first in `AUTO_ORDER` that starts, noting why each one
 * before it was skipped. An explicitly requested backend that cannot start is an error.
 */
export async function selectBackend(
  request: BackendRequest,
  options: BackendOptions,
  openers: Record<BackendName, BackendOpener> = OPENERS,
): Promise<Selection> {
  if (request !== 'auto') {
    try {
      const backend = await openers[request](options);
      return { backend, line: `backend: ${backend.name} (${backend.detail})` };
    } catch (error) {
      throw new UserError(`backend ${request} cannot start: ${reason(error)}`);
    }
  }
  const skipped: string[] = [];
  for (const name of AUTO_ORDER) {
    try {
      const backend = await openers[name](options);
      const why = skipped.length > 0 ? `; skipped ${skipped.join('; ')}` : '';
      return { backend, line: `backend: ${backend.name} (${backend.detail}), chosen by auto${why}` };
    } catch (error) {
      skipped.push(`${name}: ${reason(error)}`);
    }
  }
  throw new UserError(`no backend could start (${skipped.join('; ')})`);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
