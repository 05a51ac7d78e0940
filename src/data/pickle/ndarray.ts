import { BufferArray, isInstance, PickledDtype, ReconstructedArray } from './globals.js';
import { formatShape, problem, quoteForMessage } from './problem.js';

// Turns the placeholders recorded while unpickling into checked arrays: dtype decoding, shape and
// size validation, byte order and memory order. Sizes are checked against the bytes actually in the
// file before anything is allocated, so a tiny file cannot declare its way into a huge allocation.

/** Element types this loader decodes. */
export type ScalarKind = 'bool' | 'int' | 'uint' | 'float';

/** A numpy array found in the pickle, validated but not yet decoded. */
export interface ArrayHeader {
  /** Which array this is in messages: `X` or `y`. */
  name: string;
  shape: number[];
  kind: ScalarKind;
  /** Bytes per element. */
  size: 1 | 2 | 4 | 8;
  /** numpy's name for the dtype, e.g. `float32`, for messages. */
  dtypeName: string;
  littleEndian: boolean;
  /** Whether `data` lists elements in Fortran (column-major) order. */
  fortran: boolean;
  /** Exactly `product(shape) * size` bytes; may be a view of the file, so never written to. */
  data: Uint8Array;
}

const SUPPORTED = 'uint8, int32, int64, float32, float64 or bool; int8, int16, uint16, uint32 and uint64 also work';
const KIND_NAMES: Record<string, string> = {
  b: 'bool',
  i: 'int',
  u: 'uint',
  f: 'float',
  c: 'complex',
  O: 'object',
  U: 'str',
  S: 'bytes',
  V: 'void',
  M: 'datetime64',
  m: 'timedelta64',
};
// numpy's own limit is 32 (1.x) or 64 (2.x) dimensions.
const MAX_DIMENSIONS = 64;
const NATIVE_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Checks that `value` is a complete numpy array of a supported dtype whose data matches its shape. */
export function arrayHeader(name: string, value: unknown): ArrayHeader {
  let shapeValue: unknown;
  let dtypeValue: unknown;
  let fortranValue: unknown;
  let dataValue: unknown;
  if (isInstance(value, ReconstructedArray)) {
    const state = value.state;
    if (state === undefined) problem(`${name} is an incomplete numpy array (the pickle never sets its data)`);
    if (!isTuple(state) || (state.length !== 4 && state.length !== 5)) problem(corrupt(name, 'its array state'));
    // numpy writes (version, shape, dtype, is_fortran, data); very old numpy left out the version.
    [shapeValue, dtypeValue, fortranValue, dataValue] = state.length === 5 ? state.slice(1) : state;
  } else if (isInstance(value, BufferArray)) {
    if (value.args.length !== 4) problem(corrupt(name, 'its _frombuffer call'));
    [dataValue, dtypeValue, shapeValue, fortranValue] = value.args;
    fortranValue = orderIsFortran(name, fortranValue);
  } else {
    problem(`${name} is ${describeValue(value)}, not a numpy array`);
  }

  const shape = readShape(name, shapeValue);
  const dtype = readDtype(name, dtypeValue);
  if (typeof fortranValue !== 'boolean' && fortranValue !== 0 && fortranValue !== 1) {
    problem(corrupt(name, 'its memory-order flag'));
  }
  if (!isBytes(dataValue)) {
    if (typeof dataValue === 'string') problem(`${name} stores its data as text, as Python 2 pickles do, which is not supported`);
    problem(corrupt(name, 'its data'));
  }
  checkByteCount(name, shape, dtype.size, dtype.dtypeName, dataValue.length);
  return { name, shape, ...dtype, fortran: Boolean(fortranValue), data: dataValue };
}

/** The array's elements as numbers in C (row-major) order; allocates at most one copy of the data. */
export function arrayValues(header: ArrayHeader): ArrayLike<number> {
  const { kind, size, littleEndian } = header;
  const count = header.data.length / size;
  // Only a copy may be written to: the data can be a view of the file shared by both arrays.
  const ordered = header.fortran && header.shape.length > 1 ? toCOrder(header.data, header.shape, size) : null;
  if (size === 1) {
    const bytes = ordered ?? header.data;
    return kind === 'int' ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes;
  }
  // A fresh copy starts at offset 0, so typed-array views on it are aligned.
  const copy = ordered ?? header.data.slice();
  if (littleEndian !== NATIVE_LITTLE_ENDIAN) swapBytes(copy, size);
  const buffer = copy.buffer;
  if (kind === 'float') return size === 4 ? new Float32Array(buffer, 0, count) : new Float64Array(buffer, 0, count);
  if (size === 2) return kind === 'int' ? new Int16Array(buffer, 0, count) : new Uint16Array(buffer, 0, count);
  if (size === 4) return kind === 'int' ? new Int32Array(buffer, 0, count) : new Uint32Array(buffer, 0, count);
  // 64-bit integers become doubles in place, element by element, to stay within one copy.
  const integers = kind === 'int' ? new BigInt64Array(buffer, 0, count) : new BigUint64Array(buffer, 0, count);
  const doubles = new Float64Array(buffer, 0, count);
  for (let i = 0; i < count; i++) doubles[i] = Number(integers[i]);
  return doubles;
}

/** A short description of an unexpected value from the pickle, for "found ..." messages. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return 'a bool';
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
  if (typeof value === 'string') return 'a string';
  if (isBytes(value)) return `a bytes object of ${value.length} bytes`;
  if (isTuple(value)) return `a tuple or list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (isInstance(value, Map)) {
    const keys = [...value.keys()].slice(0, 5).map((k) => (typeof k === 'string' ? `'${quoteForMessage(k, 20)}'` : typeof k === 'number' ? String(k) : '?'));
    return value.size === 0 ? 'an empty dict' : `a dict with keys ${keys.join(', ')}${value.size > 5 ? ', ...' : ''}`;
  }
  if (isInstance(value, PickledDtype)) return 'a numpy dtype';
  if (isInstance(value, ReconstructedArray) || isInstance(value, BufferArray)) return 'a numpy array';
  if (typeof value === 'function') return 'a reference to a numpy function';
  return 'an unrecognised object';
}

/** Whether the value is a plain tuple or list as pickleparser builds them. */
export function isTuple(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
}

function isBytes(value: unknown): value is Uint8Array {
  return isInstance(value, Uint8Array);
}

function corrupt(name: string, what: string): string {
  return `the pickle is corrupt (${what} for ${name} is not what numpy writes)`;
}

function orderIsFortran(name: string, order: unknown): boolean {
  const letter = isBytes(order) && order.length === 1 ? String.fromCharCode(order[0] as number) : order;
  if (letter === 'C') return false;
  if (letter === 'F') return true;
  return problem(corrupt(name, 'the memory order'));
}

function readShape(name: string, value: unknown): number[] {
  if (!isTuple(value) || value.length > MAX_DIMENSIONS) problem(corrupt(name, 'the shape'));
  return value.map((dim) => {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) problem(corrupt(name, 'the shape'));
    return dim;
  });
}

type DtypeInfo = Pick<ArrayHeader, 'kind' | 'size' | 'dtypeName' | 'littleEndian'>;

function readDtype(name: string, value: unknown): DtypeInfo {
  if (!isInstance(value, PickledDtype)) problem(corrupt(name, 'the dtype'));
  const spec = value.args[0];
  const match = typeof spec === 'string' ? /^([<>|=]?)([a-zA-Z])(\d{0,4})$/.exec(spec) : null;
  if (match === null) problem(corrupt(name, 'the dtype'));
  const [, prefix = '', letter = '', digits = ''] = match;
  const size = Number(digits);
  const kindName = KIND_NAMES[letter];
  const sized = 'iufc'.includes(letter);
  const dtypeName = kindName === undefined ? `'${quoteForMessage(spec as string, 12)}'` : sized ? `${kindName}${size * 8}` : kindName;
  const kind = supportedKind(letter, size);
  if (kind === undefined) problem(`${name} has dtype ${dtypeName}, which is not supported (use ${SUPPORTED})`);
  const { endian, structured } = readDtypeState(name, value.state);
  if (structured) problem(`${name} has a structured or sub-array dtype, which is not supported (use ${SUPPORTED})`);
  // '=' (native) never appears in numpy's own pickles; every platform numpy runs on today is little-endian.
  const order = endian ?? prefix;
  return { kind, size: size as DtypeInfo['size'], dtypeName, littleEndian: order !== '>' };
}

function supportedKind(letter: string, size: number): ScalarKind | undefined {
  if (letter === 'b' && size === 1) return 'bool';
  if ((letter === 'i' || letter === 'u') && [1, 2, 4, 8].includes(size)) return letter === 'i' ? 'int' : 'uint';
  if (letter === 'f' && (size === 4 || size === 8)) return 'float';
  return undefined;
}

/** Reads the byte order and whether fields or a sub-array are present from numpy's dtype state tuple. */
function readDtypeState(name: string, state: unknown): { endian: string | undefined; structured: boolean } {
  // A dtype never given a state keeps numpy's default: native order, no fields.
  if (state === undefined) return { endian: undefined, structured: false };
  // numpy's layouts: 5 items (endian, subarray, fields, elsize, alignment) from before versioning,
  // 6 items (version, endian, subarray, fields, ...), 7-9 items (version, endian, subarray, names, fields, ...).
  if (!isTuple(state) || state.length < 5 || state.length > 9) problem(corrupt(name, 'the dtype state'));
  const endianAt = state.length === 5 ? 0 : 1;
  const endian = state[endianAt];
  const letter = typeof endian === 'string' ? endian : isBytes(endian) && endian.length === 1 ? String.fromCharCode(endian[0] as number) : '';
  if (!['<', '>', '|', '='].includes(letter)) problem(corrupt(name, 'the dtype byte order'));
  const rest = state.slice(endianAt + 1, state.length <= 6 ? endianAt + 3 : endianAt + 4);
  return { endian: letter, structured: rest.some((item) => item !== null) };
}

function checkByteCount(name: string, shape: number[], size: number, dtypeName: string, actual: number): void {
  // BigInt keeps the product exact however large the declared dimensions are.
  const expected = shape.reduce((bytes, dim) => bytes * BigInt(dim), BigInt(size));
  if (expected !== BigInt(actual)) {
    problem(
      `${name} declares shape ${formatShape(shape)} of ${dtypeName}, which needs ${expected} bytes, ` + `but the file holds ${actual} bytes of data for it`,
    );
  }
}

/** Reorders elements from Fortran to C order into a new buffer. */
function toCOrder(data: Uint8Array, shape: number[], size: number): Uint8Array {
  const out = new Uint8Array(data.length);
  const ndim = shape.length;
  const strides: number[] = [];
  let stride = size;
  for (const dim of shape) {
    strides.push(stride);
    stride *= dim;
  }
  const index = new Array<number>(ndim).fill(0);
  let from = 0;
  for (let to = 0; to < out.length; to += size) {
    for (let b = 0; b < size; b++) out[to + b] = data[from + b] as number;
    // Advance the C-order multi-index from the last axis, keeping the Fortran byte offset in step.
    for (let axis = ndim - 1; axis >= 0; axis--) {
      const dim = shape[axis] as number;
      const axisStride = strides[axis] as number;
      from += axisStride;
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < dim) break;
      index[axis] = 0;
      from -= dim * axisStride;
    }
  }
  return out;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  const half = size >> 1;
  for (let at = 0; at < bytes.length; at += size) {
    for (let i = 0; i < half; i++) {
      const low = bytes[at + i] as number;
      bytes[at + i] = bytes[at + size - 1 - i] as number;
      bytes[at + size - 1 - i] = low;
    }
  }
}
