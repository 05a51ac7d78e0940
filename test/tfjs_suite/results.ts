// What one spec-file process reports and how the runner names a run.

/** One jasmine spec (or a suite-level failure, e.g. a throwing beforeAll) as run_spec.ts reports it. */
export interface SpecResult {
  /** The spec's full name without the test env's name, so it matches across backends. */
  name: string;
  /** jasmine's status: `passed`, `failed`, `pending` or `excluded`. */
  status: string;
  /** The first failed expectation's first line. */
  message?: string;
}

/** One spec file run in one process on one backend. */
export interface FileResult {
  /** Path under `@tensorflow/tfjs-core/dist`. */
  file: string;
  backend: string;
  threads: number;
  /** Why the file has no trustworthy result: a load error, a crash, a timeout. */
  error?: string;
  specs: SpecResult[];
  /** Wall time of the process. */
  seconds?: number;
}

/** The stock backend's tfjs name. */
export const STOCK = 'wasm';

/** The line prefix run_spec.ts prints its result JSON after, so stray output from specs cannot be mistaken for it. */
export const RESULT_MARK = 'tfjs-suite-result ';

/** How a run is named in logs and result files: `wasm 1T`, `alnum-wasm 3T`. */
export function runLabel(backend: string, threads: number): string {
  return `${backend} ${threads}T`;
}
