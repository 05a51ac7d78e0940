// The WebAssembly JavaScript API as Node 20 provides it. tsconfig's libs (ES2022, no DOM) and @types/node
// do not declare it (@types/emscripten, pulled in by tfjs-backend-wasm, declares only an empty
// `interface Module`, which merges with this). Project-wide, since every kernel loader needs it.

declare namespace WebAssembly {
  type BufferSource = ArrayBufferView | ArrayBuffer;
  type ImportExportKind = 'function' | 'global' | 'memory' | 'table' | 'tag';
  type ExportValue = ((...args: never[]) => unknown) | Global | Memory | Table;
  type Exports = Record<string, ExportValue>;
  type ImportValue = ExportValue | number | bigint;
  type ModuleImports = Record<string, ImportValue>;
  type Imports = Record<string, ModuleImports>;

  /** Descriptor for `new WebAssembly.Memory`; sizes in 64 KiB pages. */
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  /** A linear memory; `buffer` is a SharedArrayBuffer for shared memories and is replaced on growth. */
  interface Memory {
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    grow(deltaPages: number): number;
  }
  var Memory: { prototype: Memory; new (descriptor: MemoryDescriptor): Memory };

  /** A compiled module; structured-cloneable to workers, which then share its code. */
  // biome-ignore lint/suspicious/noEmptyInterface: an interface, so that it merges with @types/emscripten's empty `Module`
  interface Module {}
  /** An export of a module as listed by `WebAssembly.Module.exports`. */
  interface ModuleExportDescriptor {
    kind: ImportExportKind;
    name: string;
  }
  /** An import of a module as listed by `WebAssembly.Module.imports`. */
  interface ModuleImportDescriptor {
    kind: ImportExportKind;
    module: string;
    name: string;
  }
  var Module: {
    prototype: Module;
    new (bytes: BufferSource): Module;
    customSections(module: Module, sectionName: string): ArrayBuffer[];
    exports(module: Module): ModuleExportDescriptor[];
    imports(module: Module): ModuleImportDescriptor[];
  };

  /** An instantiated module. */
  interface Instance {
    readonly exports: Exports;
  }
  var Instance: { prototype: Instance; new (module: Module, imports?: Imports): Instance };

  /** A wasm global. */
  interface Global {
    value: unknown;
  }
  var Global: { prototype: Global; new (descriptor: { value: string; mutable?: boolean }, value?: unknown): Global };

  /** A wasm table. */
  interface Table {
    readonly length: number;
    get(index: number): unknown;
    grow(delta: number, value?: unknown): number;
    set(index: number, value?: unknown): void;
  }
  var Table: { prototype: Table; new (descriptor: { element: string; initial: number; maximum?: number }): Table };

  /** Result of instantiating from bytes. */
  interface WebAssemblyInstantiatedSource {
    instance: Instance;
    module: Module;
  }

  interface CompileError extends Error {}
  var CompileError: { prototype: CompileError; new (message?: string): CompileError };
  interface LinkError extends Error {}
  var LinkError: { prototype: LinkError; new (message?: string): LinkError };
  interface RuntimeError extends Error {}
  var RuntimeError: { prototype: RuntimeError; new (message?: string): RuntimeError };

  function compile(bytes: BufferSource): Promise<Module>;
  function instantiate(bytes: BufferSource, imports?: Imports): Promise<WebAssemblyInstantiatedSource>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
  function validate(bytes: BufferSource): boolean;
}
