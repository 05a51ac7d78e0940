// Just enough of the WebAssembly binary format to (1) turn tfjs's module-defined memory into an imported
// shared one and (2) check that a kernel module can be instantiated on memory it does not own. Anything
// unexpected throws: V8 still validates whatever we produce, so a wrong guess here fails loudly at load.

const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const SECTION_DATA = 11;
const KIND_FUNC = 0;
const KIND_TABLE = 1;
const KIND_MEMORY = 2;
const KIND_GLOBAL = 3;
const KIND_TAG = 4;

/** One top-level section of a module: its id and its payload bytes. */
export interface WasmSection {
  id: number;
  body: Uint8Array;
}

/** Size limits of a memory, in 64 KiB pages, and whether it is shared between threads. */
export interface MemoryLimits {
  min: number;
  max: number | undefined;
  shared: boolean;
}

/** What the runtime needs to know about a kernel module before sharing tfjs's memory with it. */
export interface KernelModuleFacts {
  /** The module's imported memory (`module.name`), or undefined when it defines its own. */
  memoryImport: { module: string; name: string; limits: MemoryLimits } | undefined;
  /** Data segments that would be copied into memory at instantiation, clobbering tfjs's heap. */
  activeDataSegments: number;
}

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {}

  u8(): number {
    const b = this.bytes[this.pos++];
    if (b === undefined) throw new Error('wasm binary: unexpected end');
    return b;
  }

  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new Error('wasm binary: LEB128 too long');
  }

  name(): string {
    const len = this.u32();
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }

  limits(): MemoryLimits {
    const flags = this.u8();
    const min = this.u32();
    const max = flags & 1 ? this.u32() : undefined;
    if (flags & 4) throw new Error('wasm binary: 64-bit memories are not supported');
    return { min, max, shared: (flags & 2) !== 0 };
  }
}

function encodeU32(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

function encodeName(s: string): number[] {
  const utf8 = new TextEncoder().encode(s);
  return [...encodeU32(utf8.length), ...utf8];
}

/** Splits a module into its sections, checking the magic number and version. */
export function readSections(bytes: Uint8Array): WasmSection[] {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (!header.every((b, i) => bytes[i] === b)) throw new Error('wasm binary: bad magic or version');
  const r = new Reader(bytes, 8);
  const sections: WasmSection[] = [];
  while (r.pos < bytes.length) {
    const id = r.u8();
    const len = r.u32();
    sections.push({ id, body: bytes.subarray(r.pos, r.pos + len) });
    r.pos += len;
  }
  if (r.pos !== bytes.length) throw new Error('wasm binary: section overruns the module');
  return sections;
}

/** Skips one import's type description, returning the memory limits when it is a memory. */
function readImportDesc(r: Reader, kind: number): MemoryLimits | undefined {
  switch (kind) {
    case KIND_FUNC:
      r.u32();
      return undefined;
    case KIND_TABLE:
      r.u8();
      r.limits();
      return undefined;
    case KIND_MEMORY:
      return r.limits();
    case KIND_GLOBAL:
      r.u8();
      r.u8();
      return undefined;
    case KIND_TAG:
      r.u8();
      r.u32();
      return undefined;
    default:
      throw new Error(`wasm binary: unknown import kind ${kind}`);
  }
}

/** Reads the facts that decide whether a kernel module may run on tfjs's shared heap. */
export function inspectKernelModule(bytes: Uint8Array): KernelModuleFacts {
  let memoryImport: KernelModuleFacts['memoryImport'];
  let activeDataSegments = 0;
  for (const section of readSections(bytes)) {
    const r = new Reader(section.body);
    if (section.id === SECTION_IMPORT) {
      const count = r.u32();
      for (let i = 0; i < count; i++) {
        const module = r.name();
        const name = r.name();
        const limits = readImportDesc(r, r.u8());
        if (limits !== undefined) memoryImport = { module, name, limits };
      }
    } else if (section.id === SECTION_DATA) {
      const count = r.u32();
      for (let i = 0; i < count; i++) {
        const flags = r.u32();
        // Flag bit 0 marks a passive segment (copied only by memory.init); the rest are active.
        if ((flags & 1) === 0) {
          activeDataSegments++;
          // Skip the offset expression (a constant or global.get, then `end`) and the payload.
          if (flags === 2) r.u32();
          while (r.u8() !== 0x0b);
        }
        const size = r.u32();
        r.pos += size;
      }
    }
  }
  return { memoryImport, activeDataSegments };
}

/**
 * Rewrites a module that defines one memory into one that imports it as `env.memory`, shared, with the
 * same minimum and the given maximum. Exports and code keep referring to memory index 0, which is now
 * the import, so the module's own view of its heap is unchanged.
 */
export function importSharedMemory(bytes: Uint8Array, maximumPages: number): { bytes: Uint8Array; minimumPages: number } {
  const sections = readSections(bytes);
  const memory = sections.find((s) => s.id === SECTION_MEMORY);
  if (memory === undefined) throw new Error('wasm binary: module defines no memory (already imported?)');
  const mr = new Reader(memory.body);
  if (mr.u32() !== 1) throw new Error('wasm binary: expected exactly one memory');
  const { min } = mr.limits();
  if (maximumPages < min) throw new Error(`wasm binary: maximum ${maximumPages} pages is below the module's ${min}`);

  const entry = [...encodeName('env'), ...encodeName('memory'), KIND_MEMORY, 0x03, ...encodeU32(min), ...encodeU32(maximumPages)];
  const imports = sections.find((s) => s.id === SECTION_IMPORT);
  let importBody: number[];
  if (imports === undefined) {
    importBody = [...encodeU32(1), ...entry];
  } else {
    const ir = new Reader(imports.body);
    const count = ir.u32();
    // Imports of one kind are numbered in order, so a memory import appended last stays index 0 as
    // long as there was no other memory import, which the memory section's presence already rules out.
    importBody = [...encodeU32(count + 1), ...imports.body.subarray(ir.pos), ...entry];
  }

  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let importWritten = false;
  const writeImports = (): void => {
    parts.push(Uint8Array.from([SECTION_IMPORT, ...encodeU32(importBody.length), ...importBody]));
    importWritten = true;
  };
  for (const section of sections) {
    if (section.id === SECTION_MEMORY) continue;
    if (section.id === SECTION_IMPORT) {
      writeImports();
      continue;
    }
    // Sections must stay in order; a module without imports gets them before its first later section.
    if (!importWritten && section.id > SECTION_IMPORT) writeImports();
    parts.push(Uint8Array.from([section.id, ...encodeU32(section.body.length)]), section.body);
  }
  if (!importWritten) writeImports();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return { bytes: out, minimumPages: min };
}
