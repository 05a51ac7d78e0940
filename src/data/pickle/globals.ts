import { NameRegistry } from 'pickleparser';
import { problem, quoteForMessage } from './problem.js';

// The only Python globals a pickle of numpy arrays needs. Each resolves to a small handler that
// records its arguments in an inert placeholder object; nothing here interprets array data, and
// nothing from the file can reach any other JavaScript function. pickleparser's default would turn
// an unknown global into a stand-in object that REDUCE and BUILD happily "call", yielding junk
// instead of an error, so every other name is refused outright.

const RECONSTRUCT = ['numpy.core.multiarray', 'numpy._core.multiarray'].map((module) => [module, '_reconstruct'] as const);
const FROMBUFFER = ['numpy.core.numeric', 'numpy._core.numeric'].map((module) => [module, '_frombuffer'] as const);
const NDARRAY = ['numpy', 'ndarray'] as const;
const DTYPE = ['numpy', 'dtype'] as const;
// Protocol 2 stores Python 3 bytes as codecs.encode(latin-1 text) and empty bytes as bytes().
const CODECS_ENCODE = ['_codecs', 'encode'] as const;
const BYTES = ['__builtin__', 'builtins'].map((module) => [module, 'bytes'] as const);

const ALLOWED = new Set([...RECONSTRUCT, ...FROMBUFFER, NDARRAY, DTYPE, CODECS_ENCODE, ...BYTES].map(([module, name]) => key(module, name)));

const MAX_NAME_LENGTH = 32;

function key(module: string, name: string): string {
  return `${module}\0${name}`;
}

/** A numpy dtype as the pickle describes it: the arguments of `numpy.dtype(...)` and its BUILD state. */
export class PickledDtype {
  /** The BUILD state tuple, once BUILD has run. */
  state: unknown = undefined;

  constructor(
    /** The `numpy.dtype` call's arguments, normally `('f4', False, True)`. */
    readonly args: readonly unknown[],
  ) {}

  /** Called by pickleparser's BUILD; only records the state. */
  __setstate__(state: unknown): void {
    this.state = state;
  }
}

/** An array made by `_reconstruct(ndarray, (0,), b'b')`, completed by BUILD with `(version, shape, dtype, fortran, data)`. */
export class ReconstructedArray {
  /** The BUILD state tuple, once BUILD has run. */
  state: unknown = undefined;

  /** Called by pickleparser's BUILD; only records the state. */
  __setstate__(state: unknown): void {
    this.state = state;
  }
}

/** An array made by protocol 5's `_frombuffer(buffer, dtype, shape, order)`, complete without BUILD. */
export class BufferArray {
  constructor(
    /** The `_frombuffer` call's arguments. */
    readonly args: readonly unknown[],
  ) {}

  /** numpy never BUILDs this; refusing keeps pickleparser from copying a state into it. */
  __setstate__(): never {
    return refuseState();
  }
}

/** Whether `value` was constructed by `type` itself, not merely given a prototype chain that reaches it. */
export function isInstance<T extends object>(value: unknown, type: abstract new (...args: never[]) => T): value is T {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === type.prototype;
}

/** A global's dotted name quoted for a message, safe even when the file's bytes are hostile. */
function globalName(module: string, name: string): string {
  return quoteForMessage(`${module}.${name}`, 100);
}

/** Throws a PickleProblem naming the global unless it is one of the few numpy arrays need. */
export function assertAllowedGlobal(module: unknown, name: unknown): void {
  if (typeof module !== 'string' || typeof name !== 'string') {
    problem('the pickle is corrupt (it names a Python global with something other than text)');
  }
  // The length test first: hashing a huge name taken again and again from the memo would cost its length each time.
  if (module.length > MAX_NAME_LENGTH || name.length > MAX_NAME_LENGTH || !ALLOWED.has(key(module, name))) {
    problem(
      `it refers to the Python global ${globalName(module, name)}, which this loader refuses ` +
        '(only numpy arrays are allowed, and nothing from the file was run)',
    );
  }
}

type Handler = (...args: unknown[]) => unknown;

/** pickleparser's registry, made strict: allowlisted names only, checked before any lookup. */
class AllowlistRegistry extends NameRegistry {
  override resolve(module: string, name: string): Handler {
    // The parser passes whatever STACK_GLOBAL found on its stack, so the declared types are not checked.
    assertAllowedGlobal(module, name);
    return super.resolve(module, name) as Handler;
  }

  // Unreachable while every allowed name is registered; it replaces pickleparser's stand-in objects so a gap fails closed.
  override onMissingName(module: string, name: string): never {
    return problem(`the pickle refers to the Python global ${globalName(module, name)}, which has no handler`);
  }
}

/** A fresh name resolver for one parse of a file of `fileSize` bytes, so no handler state outlives that file. */
export function createResolver(fileSize: number): NameRegistry {
  const registry = new AllowlistRegistry();
  // Arrow functions cannot be constructed, so NEWOBJ on a handler fails instead of building something.
  const ndarray: Handler = () => problem('the pickle is corrupt (it calls numpy.ndarray directly)');
  const reconstruct: Handler = (cls) => {
    if (cls !== ndarray) problem('the pickle is corrupt (it reconstructs something other than a numpy.ndarray)');
    return new ReconstructedArray();
  };
  const frombuffer: Handler = (...args) => new BufferArray(args);
  const dtype: Handler = (...args) => new PickledDtype(args);
  // Python decodes each byte string once; a file re-decoding one text from its memo could otherwise
  // make the work grow with the square of its size.
  let latin1Budget = fileSize;
  const encode: Handler = (text, encoding) => {
    if (typeof text === 'string') {
      latin1Budget -= text.length;
      if (latin1Budget < 0) problem('the pickle is corrupt (it decodes more byte data than the file holds)');
    }
    return withoutState(latin1Bytes(text, encoding));
  };
  const bytes: Handler = (...args) => {
    // bytes(n) would allocate n bytes the file never held; Python only writes bytes() for b''.
    if (args.length !== 0) problem('the pickle is corrupt (it calls bytes() with arguments)');
    return withoutState(new Uint8Array(0));
  };
  for (const [module, name] of RECONSTRUCT) registry.register(module, name, reconstruct);
  for (const [module, name] of FROMBUFFER) registry.register(module, name, frombuffer);
  for (const [module, name] of BYTES) registry.register(module, name, bytes);
  registry.register(...NDARRAY, ndarray);
  registry.register(...DTYPE, dtype);
  registry.register(...CODECS_ENCODE, encode);
  return registry;
}

function refuseState(): never {
  return problem('the pickle is corrupt (it sets the state of an object numpy never gives one)');
}

/** Byte strings made by handlers get a refusing __setstate__, so BUILD on them fails in constant time. */
function withoutState(bytes: Uint8Array): Uint8Array {
  Object.defineProperty(bytes, '__setstate__', { value: refuseState });
  return bytes;
}

/** `codecs.encode(text, 'latin1')`, the only encoding Python's protocol-2 bytes pickling uses. */
function latin1Bytes(text: unknown, encoding: unknown): Uint8Array {
  if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) {
    problem('the pickle is corrupt (it encodes bytes in a way Python never writes)');
  }
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) problem('the pickle is corrupt (its latin-1 byte data holds a character outside latin-1)');
    out[i] = code;
  }
  return out;
}
