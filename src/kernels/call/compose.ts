import { getKernel, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

/** What a kernel function is handed: its backend instance, and the name that backend is registered under. */
export interface ComposeTarget {
  backend: unknown;
  backendName: string;
}

/** The part of tfjs-backend-wasm's `BackendWasm` that frees an intermediate tensor (not in its public typings). */
interface DisposesData {
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * A kernel composed of other kernels on the same backend, for the cases one fused WASM call does not
 * cover: each step runs the kernel registered for this backend (ours, or the stock one copied beside
 * it), and the intermediate outputs are freed together once the result is made.
 */
export class Composition {
  private readonly made: TensorInfo[] = [];

  constructor(private readonly target: ComposeTarget) {}

  /**
   * Runs `kernelName` as this backend registers it. Its output is an intermediate, freed by `dispose`,
   * unless it is the `result` the caller returns.
   */
  run(kernelName: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}, result = false): TensorInfo {
    const kernel = getKernel(kernelName, this.target.backendName);
    if (kernel === undefined) throw new Error(`backend ${this.target.backendName} has no ${kernelName} kernel`);
    // The stock kernels bind their C++ entry point in setup; the stock `wasm` backend may have rebound it.
    kernel.setupFunc?.(this.target.backend as never);
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.target.backend as never }) as TensorInfo;
    if (!result) this.made.push(out);
    return out;
  }

  /** `t` itself if it is float32, else a float32 copy freed with the intermediates. */
  float(t: TensorInfo): TensorInfo {
    return t.dtype === 'float32' ? t : this.run('Cast', { x: t }, { dtype: 'float32' });
  }

  /** Frees `t` with the intermediates. */
  keep(t: TensorInfo): void {
    this.made.push(t);
  }

  /** Frees every intermediate (all but the result the caller returns). */
  dispose(): void {
    const backend = this.target.backend as DisposesData;
    for (const t of this.made.splice(0)) backend.disposeData(t.dataId);
  }
}
