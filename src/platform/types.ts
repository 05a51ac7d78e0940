// What the training backend needs from its host, the one seam between Node and the browser: where the
// WebAssembly binaries come from, how a kernel thread starts and gets its start message, and the few
// engine switches that differ. src/platform/index.ts picks Node's; the web build (scripts/web.mjs)
// resolves that same import to browser.ts, so no Node-only module is reached from a page.

/** A kernel thread as the pool sees it, whichever kind of worker runs it. */
export interface KernelThreadHandle {
  /** Resolves once the thread has instantiated its kernels; rejects with why it could not start. */
  readonly ready: Promise<void>;
  /** Called after start if the thread throws outside a job (message) or, where the host tells, exits (code). */
  watch(onError: (message: string) => void, onExit: (code: number) => void): void;
  /** Lets the host exit while the thread still runs (a no-op where threads never keep a host alive). */
  unref(): void;
  terminate(): Promise<void>;
}

/** The build of our kernels a binary holds, as src/kernels/gemm/loader.ts names it. */
export type KernelBuild = 'relaxed' | 'simd';

/** A canvas as another context draws it. */
interface CanvasSource {
  readonly width: number;
  readonly height: number;
}

/** The parts of a 2D canvas context the data generator and the image conversion draw with (@napi-rs/canvas's, or OffscreenCanvas's). */
export interface Canvas2D {
  font: string;
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  lineJoin: 'round';
  lineCap: 'round';
  globalCompositeOperation: 'source-over' | 'destination-out';
  /** The language that shapes text; the default follows the host's. */
  lang: string;
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  strokeText(text: string, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  fillRect(x: number, y: number, w: number, h: number): void;
  createImageData(w: number, h: number): { data: Uint8ClampedArray };
  putImageData(image: { data: Uint8ClampedArray }, x: number, y: number): void;
  imageSmoothingEnabled: boolean;
  imageSmoothingQuality: 'high';
  /** The canvas drawn on, to draw from into another context of the same host. */
  readonly canvas: CanvasSource;
  drawImage(source: CanvasSource, x: number, y: number, w: number, h: number): void;
}

/** The host-specific parts of the training backend and the data generator. */
export interface Platform {
  /** Threads a backend uses when none are asked for: every core. */
  defaultThreads(): number;
  /** A zeroed shared buffer of `bytes`, for a pool's control block. */
  sharedBuffer(bytes: number): SharedArrayBuffer;
  /** Lets modules compiled from now on use relaxed SIMD where the engine keeps it behind a switch. */
  allowRelaxedSimd(): void;
  /** Fetches what `kernelBytes` returns synchronously; call it (and await it) before the first `kernelBytes`. */
  preloadKernels(): Promise<void>;
  /** The bytes of one build of our kernels; throws with a hint when they are missing. */
  kernelBytes(build: KernelBuild): Uint8Array<ArrayBuffer>;
  /** The bytes of tfjs-backend-wasm's non-threaded SIMD binary. */
  tfjsSimdBinary(): Promise<Uint8Array<ArrayBuffer>>;
  /** tfjs-backend-wasm's Emscripten factory for that binary. */
  tfjsWasmFactory(): Promise<unknown>;
  /** Starts a kernel thread and sends it `data` (the pool's KernelThreadData). */
  startKernelThread(data: object): KernelThreadHandle;
  /** In a kernel thread: calls `run` with the start data once it is here, and a way to answer the pool. */
  receiveKernelThreadStart(run: (data: unknown, post: (message: object) => void) => void): void;
  /** A new 2D canvas of `width` x `height` pixels to draw samples on. */
  canvas2d(width: number, height: number): Canvas2D;
  /** Fetches what `registerFont` needs synchronously (a browser's font files); call it before generating data. */
  preloadFonts(packages: readonly string[]): Promise<void>;
  /**
   * Makes @fontsource package `name`'s Latin regular face drawable as CSS family `family`, after checking
   * (where the host can read the file) that it maps every character of `chars`.
   */
  registerFont(name: string, family: string, chars: string): void;
  /** Resolves on a later turn of the event loop, so that messages and signals get delivered between steps. */
  yieldToEventLoop(): Promise<void>;
}
