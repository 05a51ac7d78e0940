// Pickle streams assembled opcode by opcode, laid out as numpy writes them, for declarations no
// real array could make (a 100 GB shape over a few bytes of data). Only what the tests need.

type Part = number[] | Uint8Array;

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const MARK = 0x28;
const TUPLE = 0x74;
const REDUCE = 0x52;
const BUILD = 0x62;

function uint32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

function uint64(value: bigint): number[] {
  return Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));
}

/** A non-negative integer as Python pickles it: BININT1, BININT or LONG1. */
function int(value: number): number[] {
  if (value < 256) return [0x4b, value];
  if (value < 2 ** 31) return [0x4a, ...uint32(value)];
  const digits: number[] = [];
  for (let rest = BigInt(value); rest > 0n; rest >>= 8n) digits.push(Number(rest & 0xffn));
  if ((digits[digits.length - 1] as number) & 0x80) digits.push(0);
  return [0x8a, digits.length, ...digits];
}

function text(value: string): number[] {
  return [0x8c, value.length, ...ascii(value)];
}

function bytes(data: Uint8Array): number[] {
  return [0x42, ...uint32(data.length), ...data];
}

function global(module: string, name: string): number[] {
  return [0x63, ...ascii(`${module}\n${name}\n`)];
}

/** `numpy.dtype(code)` with its BUILD state, as numpy 1.x pickles it (`code` such as `u1`, `<f4`). */
function dtype(code: string): number[] {
  const order = code.startsWith('<') || code.startsWith('>') ? (code[0] as string) : '|';
  const name = code.replace(/^[<>|]/, '');
  const minusOne = [0x4a, 0xff, 0xff, 0xff, 0xff];
  return [
    ...global('numpy', 'dtype'),
    ...text(name),
    0x89,
    0x88,
    0x87,
    REDUCE, // dtype(name, False, True)
    MARK,
    ...int(3),
    ...text(order),
    0x4e,
    0x4e,
    0x4e,
    ...minusOne,
    ...minusOne,
    ...int(0),
    TUPLE,
    BUILD,
  ];
}

function shapeTuple(shape: readonly number[]): number[] {
  return [MARK, ...shape.flatMap(int), TUPLE];
}

/** How numpy writes an array: `_reconstruct` plus BUILD (protocols 2-4), or protocol 5's `_frombuffer`. */
export type ArrayForm = 'reconstruct' | 'frombuffer';

/** One array declaring `shape` of dtype `code`, whatever the length of `data`. */
export function craftArray(form: ArrayForm, shape: readonly number[], code: string, data: Uint8Array): number[] {
  if (form === 'frombuffer') {
    return [...global('numpy.core.numeric', '_frombuffer'), MARK, ...bytes(data), ...dtype(code), ...shapeTuple(shape), ...text('C'), TUPLE, REDUCE];
  }
  return [
    ...global('numpy.core.multiarray', '_reconstruct'),
    ...global('numpy', 'ndarray'),
    ...int(0),
    0x85,
    0x43,
    1,
    ...ascii('b'),
    0x87,
    REDUCE,
    MARK,
    ...int(1),
    ...shapeTuple(shape),
    ...dtype(code),
    0x89,
    ...bytes(data),
    TUPLE,
    BUILD,
  ];
}

/** A whole pickle of protocol `protocol` holding the tuple of the given items. */
export function craftPickle(protocol: number, ...items: Part[]): Uint8Array {
  return Uint8Array.from([0x80, protocol, MARK, ...items.flatMap((item) => [...item]), TUPLE, 0x2e]);
}

/** An opcode with an 8-byte length (BINBYTES8 0x8e, BINUNICODE8 0x8d, BYTEARRAY8 0x96, FRAME 0x95) followed by only `present` bytes. */
export function craftLength8(opcode: number, declared: bigint, present: number): number[] {
  return [opcode, ...uint64(declared), ...new Uint8Array(present).fill(0x41)];
}
