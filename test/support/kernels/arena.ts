// A bump allocator over a kernels memory, for single-threaded tests and benchmarks that need to
// place matrices where the wasm kernels can reach them. (The thread runtime has its own route
// for tfjs tensors; this is not it.)

/** Bump allocator of 64-byte-aligned blocks in a WebAssembly.Memory, growing it as needed. */
export class KernelArena {
  private top: number;

  /** Allocate from byte `base` upward in `memory`. */
  constructor(
    readonly memory: WebAssembly.Memory,
    private readonly base = 1024,
  ) {
    this.top = base;
  }

  /** Reserve `bytes` bytes aligned to `align` and return their address. */
  alloc(bytes: number, align = 64): number {
    const ptr = Math.ceil(this.top / align) * align;
    this.top = ptr + bytes;
    const have = this.memory.buffer.byteLength;
    if (this.top > have) this.memory.grow(Math.ceil((this.top - have) / 65536));
    return ptr;
  }

  /** Forget every allocation (the memory keeps its size). */
  reset(): void {
    this.top = this.base;
  }

  /** A Float32Array view of `length` floats at `ptr` (take a fresh one after any alloc). */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  /** Copy `data` into a new allocation and return its address. */
  putF32(data: Float32Array): number {
    const ptr = this.alloc(data.byteLength);
    this.f32(ptr, data.length).set(data);
    return ptr;
  }
}
