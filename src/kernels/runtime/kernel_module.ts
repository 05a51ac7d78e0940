// Compiling and instantiating kernel modules that run on memory they do not own (tfjs's heap).
import { inspectKernelModule } from './wasm_binary.js';

/** A kernel export as JS sees it: numbers in, a number (or nothing) out. */
export type KernelFunction = (...args: number[]) => number | undefined;

/**
 * Compiles a kernel module after checking that it can share tfjs's heap: it must import a shared memory,
 * and carry no active data segment, which instantiation would copy over whatever tfjs keeps there.
 */
export async function compileKernelModule(bytes: Uint8Array): Promise<WebAssembly.Module> {
  const facts = inspectKernelModule(bytes);
  const hint = 'build kernels with asc --importMemory --sharedMemory --maximumMemory 65536 --runtime stub';
  if (facts.memoryImport === undefined) throw new Error(`kernel module defines its own memory; ${hint}`);
  if (!facts.memoryImport.limits.shared) throw new Error(`kernel module imports a non-shared memory; ${hint}`);
  if (facts.activeDataSegments > 0) {
    throw new Error(
      `kernel module has ${facts.activeDataSegments} active data segment(s) that would overwrite tfjs's heap ` +
        'at instantiation; keep kernels free of strings and static arrays (and build with --noAssert)',
    );
  }
  return WebAssembly.compile(bytes);
}

/** Reads an AssemblyScript string (UTF-16, byte length in the header word before it) for abort messages. */
function readAsString(memory: WebAssembly.Memory, pointer: number): string {
  if (pointer < 4) return '?';
  const bytes = new Uint8Array(memory.buffer);
  const at = pointer >>> 0;
  const length = new DataView(memory.buffer).getUint32(at - 4, true);
  if (at + length > bytes.length || length > 4096) return '?';
  let text = '';
  for (let i = 0; i + 1 < length; i += 2) text += String.fromCharCode(bytes[at + i]! | (bytes[at + i + 1]! << 8));
  return text;
}

/**
 * The import object for a kernel module: the shared memory under whatever name it imports it, and an
 * `abort` that throws (AssemblyScript's failed assertions). Other imports fail loudly when called, since
 * the same module must instantiate identically in every thread.
 */
export function kernelImports(module: WebAssembly.Module, memory: WebAssembly.Memory): WebAssembly.Imports {
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    imports[entry.module] ??= {};
    const namespace = imports[entry.module]!;
    const where = `${entry.module}.${entry.name}`;
    if (entry.kind === 'memory') {
      namespace[entry.name] = memory;
    } else if (entry.kind === 'function' && entry.name === 'abort') {
      namespace[entry.name] = (message: number, file: number, line: number, column: number): never => {
        throw new Error(`kernel abort: ${readAsString(memory, message)} (${readAsString(memory, file)}:${line}:${column})`);
      };
    } else if (entry.kind === 'function') {
      namespace[entry.name] = (): never => {
        throw new Error(`kernel called unsupported import ${where}`);
      };
    } else {
      throw new Error(`kernel module imports a ${entry.kind} (${where}); only memory and functions are supported`);
    }
  }
  return imports;
}

/** The module's exported functions in export order, which is the same in every thread. */
export function kernelFunctionNames(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.exports(module)
    .filter((e) => e.kind === 'function')
    .map((e) => e.name);
}

/** Instantiates a kernel module on the given memory and lists its functions by index. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelFunction[] {
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(module, kernelImports(module, memory));
  } catch (error) {
    if (error instanceof WebAssembly.LinkError) {
      throw new Error(
        `kernel module cannot import this memory (${error.message}); its maximum must be at least the ` +
          "memory's, e.g. asc --maximumMemory 65536 for tfjs's heap",
      );
    }
    throw error;
  }
  return kernelFunctionNames(module).map((name) => {
    const fn = instance.exports[name];
    if (typeof fn !== 'function') throw new Error(`kernel export ${name} is not a function`);
    return fn as KernelFunction;
  });
}
