// Outputs of the fused optimizer kernels (ApplyRMSProp, ApplyAdam, ApplyMomentum): written over the state they
// update when the caller gives it up and nothing else can see it, else fresh.
import type { DataId, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from './wasm_heap.js';

/** The reference counting of tfjs-backend-wasm's tensor data (not in its public typings). */
interface RefCounts {
  refCount(dataId: DataId): number;
  incRef(dataId: DataId): void;
}

/**
 * One output per tensor of `updated`, in order: the tensor's own data when `inPlace` is set, no other tensor
 * shares any of that data, and no two of `updated` and `readOnly` share data (a kernel reads every element
 * before writing it, but only its own element); otherwise fresh float32 outputs of the same shape, all of them.
 * Written in place, a fused update moves fewer arrays: a fresh output is read before it is written.
 */
export function updateOutputs(backend: WasmBackendInternals, inPlace: boolean, updated: readonly TensorInfo[], readOnly: readonly TensorInfo[]): TensorInfo[] {
  const counts = backend as unknown as RefCounts;
  const ids = [...updated, ...readOnly].map((t) => t.dataId);
  const overwrite = inPlace && new Set(ids).size === ids.length && updated.every((t) => counts.refCount(t.dataId) === 1);
  return updated.map((t) => {
    if (!overwrite) return backend.makeOutput(t.shape, 'float32');
    counts.incRef(t.dataId);
    return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
  });
}
