/** Backends the harness can train on, fastest first as `auto` tries them. */
export const BACKEND_NAMES = ['cuda', 'wasm', 'tfjs-wasm', 'cpu'] as const;
/** A backend as the user names it on the command line. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What a backend needs to start. */
export interface BackendOptions {
  /** Threads for multi-threaded backends; 1 means the calling thread only. */
  threads: number;
  /** Forces a build of our WASM kernels (`simd` without fused multiply-add); default: the best that runs. */
  kernelIsa?: 'relaxed' | 'simd';
}

/** A started backend, current in tfjs until closed. */
export interface ActiveBackend {
  /** The user-facing name. */
  name: BackendName;
  /** The name tfjs knows it by (`tf.getBackend()`). */
  tfjsName: string;
  /** One phrase on what runs underneath, for logs and reports (device, ISA, threads). */
  detail: string;
  /** Threads it computes with. */
  threads: number;
  /** Releases threads and memory the backend holds; the process may then exit. */
  close(): Promise<void>;
}

/** Starts one backend and makes it current, or throws a `UserError` saying in one phrase why it cannot start here. */
export type BackendOpener = (options: BackendOptions) => Promise<ActiveBackend>;

/** The tfjs name of this project's training backend: tfjs's WASM backend plus our own kernels. */
export const OWN_WASM = 'alnum-wasm';
