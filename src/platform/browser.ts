// The browser's side of the platform seam, for code running in a dedicated Web Worker (the page's trainer
// and its kernel threads; a page's main thread cannot Atomics.wait, which the pool's caller does). The
// binaries are fetched from the folder this bundle is served from, kernel threads are module Workers.
import type { Canvas2D, KernelBuild, KernelThreadHandle, Platform } from './types.js';

/** The few worker-scope APIs used here, typed locally: the project's TypeScript lib is Node's, not the DOM's. */
interface WorkerScope {
  navigator: { hardwareConcurrency: number };
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void, options?: { once: boolean }): void;
  Worker: new (url: URL, options: { type: 'module'; name: string }) => BrowserWorker;
  OffscreenCanvas: new (width: number, height: number) => { getContext(type: '2d', options: { willReadFrequently: boolean }): Canvas2D };
  FontFace: new (family: string, source: ArrayBuffer) => { family: string; load(): Promise<unknown> };
  fonts: { add(face: unknown): void };
  MessageChannel: new () => { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(message: unknown): void } };
}

interface BrowserWorker {
  postMessage(message: unknown): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: { data?: unknown; message?: string }) => void): void;
  terminate(): void;
}

const scope = globalThis as unknown as WorkerScope;
const kernelBytes = new Map<KernelBuild, Uint8Array<ArrayBuffer>>();
/** Font families loaded by preloadFonts, by @fontsource package name. */
const fontFamilies = new Map<string, string>();
/** The family the data generator registers a package's font under (src/data/synthetic/fonts.ts). */
const familyOf = (name: string): string => `synthetic-${name}`;

/** A file served beside this bundle (scripts/web.mjs copies the binaries there). */
async function fetchBeside(name: string): Promise<Uint8Array<ArrayBuffer>> {
  const url = new URL(`./${name}`, import.meta.url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

let threadCount = 0;

function startKernelThread(data: object): KernelThreadHandle {
  threadCount += 1;
  const worker = new scope.Worker(new URL('./kernel_worker.js', import.meta.url), { type: 'module', name: `kernel thread ${threadCount}` });
  const ready = new Promise<void>((resolve, reject) => {
    worker.addEventListener('message', (event) => {
      const message = event.data as { type: string; message?: string };
      if (message.type === 'ready') resolve();
      else reject(new Error(String(message.message)));
    });
    worker.addEventListener('error', (event) => reject(new Error(event.message ?? 'failed to load')));
    worker.addEventListener('messageerror', () => reject(new Error('could not receive its start message')));
  });
  worker.postMessage(data);
  return {
    ready,
    // A Web Worker reports no exit; one that dies mid-call is caught by the pool's stall timeout.
    watch(onError) {
      worker.addEventListener('error', (event) => onError(event.message ?? 'error'));
    },
    unref: () => {},
    terminate: async () => worker.terminate(),
  };
}

/** The browser: binaries fetched from the page's own origin, kernel threads on module Workers. */
export const platform: Platform = {
  defaultThreads: () => scope.navigator.hardwareConcurrency,
  // Without cross-origin isolation SharedArrayBuffer is hidden, but a shared WebAssembly memory can still
  // be made (Chromium 156); a one-thread pool's control block lives in one.
  sharedBuffer(bytes) {
    if (typeof SharedArrayBuffer === 'function') return new SharedArrayBuffer(bytes);
    const pages = Math.ceil(bytes / 65536);
    return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer as SharedArrayBuffer;
  },
  // Browsers have relaxed SIMD on or off for good (Chrome 114+: on); there is no switch to set.
  allowRelaxedSimd: () => {},
  async preloadKernels() {
    for (const build of ['relaxed', 'simd'] as const) {
      if (!kernelBytes.has(build)) kernelBytes.set(build, await fetchBeside(`kernels_${build}.wasm`));
    }
  },
  kernelBytes(build) {
    const bytes = kernelBytes.get(build);
    if (bytes === undefined) throw new Error(`kernels_${build}.wasm was not loaded: await platform.preloadKernels() first`);
    return bytes;
  },
  tfjsSimdBinary: () => fetchBeside('tfjs-backend-wasm-simd.wasm'),
  tfjsWasmFactory: async () => (await import('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js')).default,
  startKernelThread,
  canvas2d: (width, height) => new scope.OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true }),
  async preloadFonts(packages) {
    await Promise.all(
      packages
        .filter((name) => !fontFamilies.has(name))
        .map(async (name) => {
          const face = new scope.FontFace(familyOf(name), (await fetchBeside(`fonts/${name}-latin-400-normal.woff`)).buffer);
          await face.load();
          scope.fonts.add(face);
          fontFamilies.set(name, face.family);
        }),
    );
  },
  // The glyph check reads the file with node:zlib; here the same files are served as Node checks them.
  registerFont(name, family) {
    if (fontFamilies.get(name) !== family) throw new Error(`font ${name} was not loaded as ${family}: await platform.preloadFonts() first`);
  },
  receiveKernelThreadStart(run) {
    scope.addEventListener('message', (event) => run(event.data, (message) => scope.postMessage(message)), { once: true });
  },
  yieldToEventLoop() {
    // A message to self comes back on the next task without setTimeout's 4 ms clamp on nested timers.
    const { port1, port2 } = new scope.MessageChannel();
    return new Promise((resolve) => {
      port1.onmessage = () => {
        port1.close();
        resolve();
      };
      port2.postMessage(null);
    });
  },
};
