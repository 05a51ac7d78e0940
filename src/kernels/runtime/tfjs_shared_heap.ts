// Starts tfjs-backend-wasm's own SIMD module on a shared WebAssembly.Memory, so that our kernel threads
// can read and write tensors in place. tfjs's non-threaded module defines its heap itself (non-shared);
// we rewrite that one definition into an import at load time (wasm_binary.ts) and hand Emscripten's
// factory the result through its documented `instantiateWasm` hook. Nothing in node_modules changes,
// tfjs code still runs on the main thread only, and no Emscripten pthread workers are started.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { platform } from '../../platform/index.js';
import type { WasmBackendInternals } from '../call/wasm_heap.js';
import { importSharedMemory } from './wasm_binary.js';

/** The largest heap, in 64 KiB pages, tfjs's glue will grow to (its getHeapMax is 4 GiB - 64 KiB). */
export const TFJS_HEAP_MAX_PAGES = 65536;

/** tfjs's BackendWasm, typed with the internals kernels use (wasm_heap.ts), its heap a shared memory. */
export type SharedHeapBackend = BackendWasm & WasmBackendInternals;

/** How to start the shared-heap module. */
export interface SharedHeapOptions {
  /** Initial heap size in bytes, rounded up to pages; a large start avoids early growth (default 16 MiB). */
  initialBytes?: number;
}

/** The Emscripten module fields the backend and our runtime use. */
interface EmscriptenModule {
  HEAPU8: Uint8Array;
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  tfjs?: unknown;
}

type InstantiateHook = (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => object;

type Factory = (config: { instantiateWasm: InstantiateHook; onAbort: (what: unknown) => void }) => Promise<EmscriptenModule>;

const memories = new WeakMap<object, WebAssembly.Memory>();
let compiled: Promise<{ module: WebAssembly.Module; minimumPages: number }> | undefined;

function compilePatched(): Promise<{ module: WebAssembly.Module; minimumPages: number }> {
  compiled ??= (async () => {
    const patched = importSharedMemory(await platform.tfjsSimdBinary(), TFJS_HEAP_MAX_PAGES);
    return { module: await WebAssembly.compile(patched.bytes), minimumPages: patched.minimumPages };
  })();
  return compiled;
}

/** tfjs-backend-wasm's plain factory: it serves the SIMD binary too, as tfjs's own init() uses it. */
async function loadFactory(): Promise<Factory> {
  return (await platform.tfjsWasmFactory()) as Factory;
}

/** Starts one Emscripten module of tfjs-backend-wasm's SIMD build whose heap is a new shared memory. */
async function startModule(options: SharedHeapOptions): Promise<{ wasm: EmscriptenModule; memory: WebAssembly.Memory }> {
  const { module, minimumPages } = await compilePatched();
  const initialPages = Math.max(minimumPages, Math.ceil((options.initialBytes ?? 0) / 65536));
  const memory = new WebAssembly.Memory({ initial: initialPages, maximum: TFJS_HEAP_MAX_PAGES, shared: true });
  // Emscripten's ready promise never settles if instantiation fails inside the hook, so failures race it.
  let fail: (reason: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const instantiateWasm: InstantiateHook = (imports, receive) => {
    const env = { ...(imports.env ?? {}), memory };
    WebAssembly.instantiate(module, { ...imports, env }).then((instance) => receive(instance, module), fail);
    return {}; // tells Emscripten the instance arrives asynchronously
  };
  const onAbort = (what: unknown): void => fail(new Error(`tfjs wasm module aborted: ${String(what)}`));
  const factory = await loadFactory();
  const wasm = await Promise.race([factory({ instantiateWasm, onAbort }), failed]);
  if (wasm.HEAPU8.buffer !== memory.buffer) throw new Error('tfjs wasm module did not adopt the shared memory');
  // The same bridge tfjs's init() installs; BackendWasm's constructor calls into it.
  wasm.tfjs = {
    init: wasm.cwrap('init', null, []),
    initWithThreadsCount: wasm.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: wasm.cwrap('get_threads_count', 'number', []),
    registerTensor: wasm.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: wasm.cwrap('dispose_data', null, ['number']),
    dispose: wasm.cwrap('dispose', null, []),
  };
  return { wasm, memory };
}

/** Creates a tfjs `BackendWasm` (stock kernels, SIMD, main thread) whose tensors live in shared memory. */
export async function createSharedHeapBackend(options: SharedHeapOptions = {}): Promise<SharedHeapBackend> {
  const { wasm, memory } = await startModule(options);
  // Loaded here, not on import: loading tfjs-backend-wasm registers tfjs's stock `wasm` backend.
  const { BackendWasm } = await import('@tensorflow/tfjs-backend-wasm');
  const backend = new BackendWasm(wasm as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  memories.set(backend, memory);
  // The module object is the one built above, so its HEAPU8 is there whatever tfjs's typings say.
  return backend as SharedHeapBackend;
}

/** A backend factory for `tf.registerBackend(name, factory)`: the stock WASM backend on a shared heap. */
export function sharedHeapBackendFactory(options: SharedHeapOptions = {}): () => Promise<SharedHeapBackend> {
  return () => createSharedHeapBackend(options);
}

/**
 * Replaces the registration of backend `name` (tfjs-backend-wasm's `wasm` by default, whose kernels are
 * registered under that name) with the shared-heap one and makes it current. Call it before creating
 * tensors: any existing instance of that backend is disposed with its tensors.
 */
export async function useSharedHeapBackend(name = 'wasm', options: SharedHeapOptions = {}): Promise<SharedHeapBackend> {
  if (tf.findBackendFactory(name) !== null) tf.removeBackend(name);
  tf.registerBackend(name, sharedHeapBackendFactory(options), 2);
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to start on a shared heap`);
  return tf.backend() as SharedHeapBackend;
}

/** The shared memory holding a shared-heap backend's tensors; throws for any other backend. */
export function sharedMemoryOf(backend: object): WebAssembly.Memory {
  const memory = memories.get(backend);
  if (memory === undefined) throw new Error('backend was not created by createSharedHeapBackend');
  return memory;
}
