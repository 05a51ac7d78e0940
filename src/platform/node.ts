// Node's side of the platform seam: files read from disk, worker_threads, and V8 flags set at run time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { missingGlyphs } from '../data/synthetic/woff.js';
import { kernelThreadEntry } from '../kernels/runtime/thread_entry.js';
import type { Canvas2D, KernelBuild, KernelThreadHandle, Platform } from './types.js';

const kernelBuildDir = new URL('../kernels/build/', import.meta.url);

/** Absolute path of a kernels module built by scripts/build_kernels.mjs. */
function kernelModulePath(build: KernelBuild): string {
  return fileURLToPath(new URL(`kernels_${build}.wasm`, kernelBuildDir));
}

const require = createRequire(import.meta.url);
/** @napi-rs/canvas, a native addon loaded only when data is generated, never by the training backend alone. */
const napiCanvas = (): typeof import('@napi-rs/canvas') => require('@napi-rs/canvas');
// The plain factory serves both the scalar and the SIMD binary (tfjs's own init() does the same);
// wasm-out's tfjs-backend-wasm-simd.js is an unused artefact whose post-amble cannot find its module.
const FACTORY_PATH = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js');
const SIMD_BINARY_PATH = FACTORY_PATH.replace(/\.js$/, '-simd.wasm');

function startKernelThread(data: object): KernelThreadHandle {
  const { filename, execArgv } = kernelThreadEntry();
  const worker = new Worker(filename, { workerData: data, execArgv });
  const ready = new Promise<void>((resolve, reject) => {
    const fail = (why: string): void => reject(new Error(why));
    worker.once('message', (message: { type: string; message?: string }) => (message.type === 'ready' ? resolve() : fail(String(message.message))));
    worker.once('error', (error) => fail(error.message));
    worker.once('exit', (code) => fail(`exited with code ${code}`));
  });
  return {
    ready,
    watch(onError, onExit) {
      worker.on('error', (error) => onError(error.message));
      worker.on('exit', onExit);
    },
    unref: () => worker.unref(),
    terminate: async () => {
      await worker.terminate();
    },
  };
}

/** Node: the kernels and tfjs's binary read from disk, kernel threads on worker_threads. */
export const platform: Platform = {
  defaultThreads: () => availableParallelism(),
  sharedBuffer: (bytes) => new SharedArrayBuffer(bytes),
  // Measured: v8.setFlagsFromString('--experimental-wasm-relaxed-simd') at run time enables it for everything
  // compiled afterwards, in the main thread and in workers started later (V8 flags are per-process); putting
  // the flag in a Worker's execArgv is rejected (ERR_WORKER_INVALID_EXEC_ARGV).
  allowRelaxedSimd: () => setFlagsFromString('--experimental-wasm-relaxed-simd'),
  preloadKernels: async () => {},
  kernelBytes(build) {
    try {
      // Copy into a plain ArrayBuffer: WebAssembly's typings reject Buffer's ArrayBufferLike.
      return new Uint8Array(readFileSync(kernelModulePath(build)));
    } catch (cause) {
      throw new Error(`missing ${kernelModulePath(build)}: run \`npm run build:kernels\``, { cause });
    }
  },
  tfjsSimdBinary: async () => new Uint8Array(readFileSync(SIMD_BINARY_PATH)),
  tfjsWasmFactory: async () => {
    const factory: unknown = require(FACTORY_PATH);
    if (typeof factory !== 'function') throw new Error(`${FACTORY_PATH} did not export an Emscripten factory`);
    return factory;
  },
  startKernelThread,
  canvas2d: (width, height) => napiCanvas().createCanvas(width, height).getContext('2d') as Canvas2D,
  preloadFonts: async () => {},
  registerFont(name, family, chars) {
    // The WOFF 1 file rather than WOFF 2: its tables are plain zlib, so the cmap check is simple.
    const path = require.resolve(`@fontsource/${name}/files/${name}-latin-400-normal.woff`);
    const missing = missingGlyphs(readFileSync(path), chars);
    if (missing.length > 0) throw new Error(`font ${name} lacks glyphs ${missing.join('')}`);
    if (napiCanvas().GlobalFonts.registerFromPath(path, family) === null) throw new Error(`cannot register font ${path}`);
  },
  receiveKernelThreadStart(run) {
    const port = parentPort;
    if (port === null) throw new Error('runKernelThread must run in a worker thread');
    run(workerData, (message) => port.postMessage(message));
  },
  yieldToEventLoop: () => new Promise((resolve) => setImmediate(resolve)),
};
