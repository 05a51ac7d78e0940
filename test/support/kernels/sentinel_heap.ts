// Fresh outputs filled with a sentinel before a kernel writes them: an element a kernel leaves unwritten
// then reads as NaN, instead of passing as whatever (often zeros) the heap held there before.
import * as tf from '@tensorflow/tfjs-core';

/** The sentinel, every 4 bytes of a fresh output: a float32 NaN with a payload, 2143346349 as int32. */
export const SENTINEL_BITS = 0x7fc0dead;

/** tfjs-backend-wasm's output allocation and heap (not in its public typings). */
interface WasmOutputs {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: unknown): tf.TensorInfo;
}

/**
 * Runs `work` with every output the WASM-heap backend `backendName` allocates (through `makeOutput`, as
 * every stock and own kernel does) filled with the sentinel first. Other backends run `work` unchanged.
 */
export function withSentinelOutputs<T>(backendName: string, work: () => T): T {
  const backend = tf.findBackend(backendName) as unknown as WasmOutputs | null;
  if (backend === null || !('wasm' in backend) || typeof backend.makeOutput !== 'function') return work();
  const own = Object.hasOwn(backend, 'makeOutput');
  const makeOutput = backend.makeOutput;
  backend.makeOutput = function (this: WasmOutputs, shape, dtype, memoryOffset, values) {
    const out = makeOutput.call(this, shape, dtype, memoryOffset, values);
    const data = this.dataIdMap.get(out.dataId as object);
    if (memoryOffset === undefined && values == null && dtype !== 'string' && data !== undefined) {
      const bytes = tf.util.sizeFromShape(shape) * tf.util.bytesPerElement(dtype);
      // Whole words, then the tail of a bool or uint8 output byte by byte: never past the allocation.
      new Uint32Array(this.wasm.HEAPU8.buffer, data.memoryOffset, bytes >>> 2).fill(SENTINEL_BITS);
      for (let i = bytes & ~3; i < bytes; i++) this.wasm.HEAPU8[data.memoryOffset + i] = (SENTINEL_BITS >>> (8 * (i & 3))) & 0xff;
    }
    return out;
  };
  try {
    return work();
  } finally {
    if (own) backend.makeOutput = makeOutput;
    else delete (backend as Partial<WasmOutputs>).makeOutput;
  }
}
