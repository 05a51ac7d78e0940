import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { compileKernelModule } from '../../../src/kernels/runtime/kernel_module.js';
import { importSharedMemory, inspectKernelModule } from '../../../src/kernels/runtime/wasm_binary.js';
import { compileTestKernels } from '../../support/kernels/compile_fixture.js';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const name = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
// (import "env" "memory" (memory 1 65536 shared))
const SHARED_MEMORY_IMPORT = [0x02, 18, 0x01, ...name('env'), ...name('memory'), 0x02, 0x03, 0x01, 0x80, 0x80, 0x04];
// (data (i32.const 16) "hi"), active or passive
const ACTIVE_DATA = [0x0b, 0x08, 0x01, 0x00, 0x41, 0x10, 0x0b, 0x02, 0x68, 0x69];
const PASSIVE_DATA = [0x0b, 0x05, 0x01, 0x01, 0x02, 0x68, 0x69];

describe('importSharedMemory', () => {
  test("turns tfjs-backend-wasm's SIMD module into one importing a shared env.memory", () => {
    const path = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm');
    const original = new Uint8Array(readFileSync(path));
    expect(inspectKernelModule(original).memoryImport).toBeUndefined();
    const { bytes, minimumPages } = importSharedMemory(original, 65536);
    const facts = inspectKernelModule(bytes);
    expect(facts.memoryImport).toEqual({ module: 'env', name: 'memory', limits: { min: minimumPages, max: 65536, shared: true } });
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module).filter((i) => i.kind === 'memory')).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    // The module still exports its (now imported) memory, which Emscripten's glue reads back.
    expect(WebAssembly.Module.exports(module).some((e) => e.kind === 'memory')).toBe(true);
  });

  test('works on a module without imports, and refuses one without a memory', () => {
    const { bytes } = importSharedMemory(new Uint8Array([...HEADER, 0x05, 0x03, 0x01, 0x00, 0x02]), 100);
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 100, shared: true });
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } })).not.toThrow();
    expect(() => importSharedMemory(new Uint8Array(HEADER), 100)).toThrow(/defines no memory/);
    expect(() => importSharedMemory(new Uint8Array([1, 2, 3]), 100)).toThrow(/bad magic/);
  });
});

describe('kernel module checks', () => {
  test('the test kernels import a shared memory and carry no data', async () => {
    const facts = inspectKernelModule(await compileTestKernels());
    expect(facts.memoryImport?.limits.shared).toBe(true);
    expect(facts.activeDataSegments).toBe(0);
  });

  test('an active data segment, which would overwrite the heap, is refused; a passive one is fine', async () => {
    const active = new Uint8Array([...HEADER, ...SHARED_MEMORY_IMPORT, ...ACTIVE_DATA]);
    expect(inspectKernelModule(active).activeDataSegments).toBe(1);
    await expect(compileKernelModule(active)).rejects.toThrow(/active data segment/);
    const passive = new Uint8Array([...HEADER, ...SHARED_MEMORY_IMPORT, ...PASSIVE_DATA]);
    expect(inspectKernelModule(passive).activeDataSegments).toBe(0);
    await expect(compileKernelModule(passive)).resolves.toBeInstanceOf(WebAssembly.Module);
  });
});
