import type { DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's `BackendWasm` that kernels reach into (not in its public typings). */
export interface WasmBackendInternals {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

/** Byte offset of a tensor's data in the backend's heap. */
export function tensorOffset(backend: WasmBackendInternals, tensor: TensorInfo): number {
  const data = backend.dataIdMap.get(tensor.dataId);
  if (data === undefined) throw new Error('tensor is not on the WASM backend');
  return data.memoryOffset;
}

/** A float32 view of the whole heap; take it after any allocation, which may grow and detach the heap. */
export function heapF32(backend: WasmBackendInternals): Float32Array {
  return new Float32Array(backend.wasm.HEAPU8.buffer);
}
