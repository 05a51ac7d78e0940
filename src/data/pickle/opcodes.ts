import { problem } from './problem.js';
import { StackCheck } from './stack_check.js';

// A pass over the opcode stream before pickleparser sees it. pickleparser trusts its input: a
// negative BINBYTES length moves its reader backwards (an endless loop), LONG4 builds BigInts in
// quadratic time, protocol-0 DICT assigns keys onto plain objects, and unknown opcodes only fail
// after earlier ones ran. Checking every opcode, argument and stack effect here first means the
// parser only runs on streams that are well-formed, bounded by the file's size, and made of the
// opcodes a Python pickler writes at protocols 2-5, in an order a pickler could have written them.

/** Opcodes with a fixed-size argument that the scan does not need to read, by size in bytes. */
const FIXED_ARGUMENT = new Map<number, number>([
  [0x4a, 4], // BININT
  [0x4b, 1], // BININT1
  [0x4d, 2], // BININT2
  [0x47, 8], // BINFLOAT
]);

/** Text-mode (protocol 0/1) opcodes: Python never writes them at protocol 2+, and pickleparser mishandles some. */
const TEXT_MODE = new Map<number, string>([
  [0x46, 'FLOAT'],
  [0x49, 'INT'],
  [0x4c, 'LONG'],
  [0x53, 'STRING'],
  [0x56, 'UNICODE'],
  [0x64, 'DICT'],
  [0x67, 'GET'],
  [0x6c, 'LIST'],
  [0x6f, 'OBJ'],
  [0x70, 'PUT'],
]);

const TRUNCATED = 'the file is truncated (it ends before the pickle is complete)';

/**
 * Checks the whole opcode stream up to STOP without building anything, calling `checkGlobal` for
 * every global named inline, and throws a PickleProblem for anything malformed, unsafe or truncated.
 */
export function scanPickle(bytes: Uint8Array, checkGlobal: (module: string, name: string) => void): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  readHeader(bytes);
  let pos = 2;
  let opcode = 0x80;
  let at = 0;

  const opcodeProblem = (why: string): never => problem(`the pickle ${why} (opcode 0x${opcode.toString(16).padStart(2, '0')} at byte ${at})`);
  const stack = new StackCheck((why) => opcodeProblem(`is corrupt: ${why}`));
  const need = (count: number): void => {
    if (pos + count > end) problem(TRUNCATED);
  };
  // A declared length is checked against the bytes left before anything is read or allocated, and
  // the message says what was declared, since a hostile file can claim any size.
  const declaredProblem = (what: string, length: number | bigint): never =>
    problem(`the file is truncated or corrupt (the ${what} at byte ${at} declares ${length} bytes, but only ${end - pos} follow)`);
  const skipCounted = (length: number, what: string): void => {
    if (pos + length > end) declaredProblem(what, length);
    pos += length;
  };
  const readUint32 = (): number => {
    need(4);
    pos += 4;
    return view.getUint32(pos - 4, true);
  };
  const readUint64 = (what: string): number => {
    need(8);
    const length = view.getBigUint64(pos, true);
    pos += 8;
    // Anything past the bytes left, up to 2**64, is refused here, so the number returned is exact.
    if (length > BigInt(end - pos)) declaredProblem(what, length);
    return Number(length);
  };
  const readLine = (): string => {
    const newline = bytes.indexOf(0x0a, pos);
    if (newline < 0) problem(TRUNCATED);
    if (newline - pos > 256) problem(`the pickle is corrupt (the global name at byte ${pos} is not a valid name)`);
    const text = String.fromCharCode(...bytes.subarray(pos, newline));
    pos = newline + 1;
    return text;
  };

  while (pos < end) {
    at = pos;
    opcode = bytes[pos++] as number;
    let argument = 0;
    const fixed = FIXED_ARGUMENT.get(opcode);
    if (fixed !== undefined) {
      need(fixed);
      pos += fixed;
    }
    switch (opcode) {
      case 0x43: // SHORT_BINBYTES
      case 0x55: // SHORT_BINSTRING
      case 0x8c: // SHORT_BINUNICODE
        need(1);
        skipCounted(bytes[pos++] as number, opcode === 0x43 ? 'byte string' : 'text');
        break;
      case 0x42: // BINBYTES: a signed length, which pickleparser would follow backwards
      case 0x54: {
        // BINSTRING
        need(4);
        const length = view.getInt32(pos, true);
        pos += 4;
        if (length < 0) opcodeProblem('is corrupt: it declares a negative length');
        skipCounted(length, opcode === 0x42 ? 'byte string' : 'text');
        break;
      }
      case 0x58: // BINUNICODE
        skipCounted(readUint32(), 'text');
        break;
      case 0x8d: // BINUNICODE8
        skipCounted(readUint64('text'), 'text');
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        skipCounted(readUint64('byte string'), 'byte string');
        break;
      case 0x95: // FRAME: its length only has to fit; the opcodes inside are checked one by one
        readUint64('frame');
        break;
      case 0x8a: {
        // LONG1
        need(1);
        const length = bytes[pos++] as number;
        need(length);
        checkLong1(bytes.subarray(pos, pos + length), at);
        pos += length;
        break;
      }
      case 0x8b: // LONG4
        opcodeProblem('holds an integer hundreds of digits long, which no array shape needs');
        break;
      case 0x71: // BINPUT
      case 0x68: // BINGET
        need(1);
        argument = bytes[pos++] as number;
        break;
      case 0x72: // LONG_BINPUT
      case 0x6a: // LONG_BINGET
        argument = readUint32();
        break;
      case 0x63: // GLOBAL
      case 0x69: {
        // INST names its class inline like GLOBAL; name a refused global before refusing the opcode.
        const module = readLine();
        const name = readLine();
        checkGlobal(module, name);
        if (opcode === 0x69) opcodeProblem('uses the protocol-0 INST opcode, which protocol 2-5 pickles do not contain');
        break;
      }
      case 0x80: // PROTO
        opcodeProblem('is corrupt: it has a second protocol header');
        break;
      case 0x50: // PERSID
      case 0x51: // BINPERSID
        opcodeProblem('uses persistent IDs, which refer to objects outside the file');
        break;
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        opcodeProblem("uses Python's copyreg extension registry, which this loader does not resolve");
        break;
      case 0x97: // NEXT_BUFFER
        opcodeProblem('refers to out-of-band buffers that are not stored in the file');
        break;
      default: {
        const textMode = TEXT_MODE.get(opcode);
        if (textMode !== undefined) opcodeProblem(`uses the protocol-0 ${textMode} opcode, which protocol 2-5 pickles do not contain`);
      }
    }
    stack.apply(opcode, argument);
    if (opcode === 0x2e /* STOP */) return;
  }
  problem(TRUNCATED);
}

/** Checks the PROTO header, telling apart other common file formats so the user knows what they have. */
function readHeader(bytes: Uint8Array): void {
  const starts = (...prefix: number[]): boolean => prefix.every((byte, i) => bytes[i] === byte);
  if (bytes[0] !== 0x80) {
    if (starts(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)) problem('it is a NumPy .npy file, not a pickle of (X, y)');
    if (starts(0x50, 0x4b, 0x03, 0x04)) problem('it is a ZIP archive (perhaps a NumPy .npz file), not a pickle of (X, y)');
    if (starts(0x1f, 0x8b)) problem('it is gzip-compressed; decompress it first');
    if (starts(0x89, 0x48, 0x44, 0x46)) problem('it is an HDF5 file, not a pickle of (X, y)');
    problem('it is not a Python pickle of protocol 2 to 5 (it does not start with a pickle protocol header)');
  }
  const protocol = bytes[1];
  if (protocol === undefined) problem(TRUNCATED);
  if (protocol < 2) problem(`it is not a Python pickle of protocol 2 to 5 (its header claims protocol ${protocol})`);
  if (protocol > 5) problem(`it uses pickle protocol ${protocol}, newer than the protocols 2 to 5 this loader reads`);
}

/**
 * pickleparser reads LONG1 as unsigned and warns on the console past 2**53, so only the values it
 * reads correctly pass: non-negative and below 2**53, which covers every real array size.
 */
function checkLong1(digits: Uint8Array, at: number): void {
  let value = 0n;
  for (let i = digits.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(digits[i] as number);
  const negative = digits.length > 0 && ((digits[digits.length - 1] as number) & 0x80) !== 0;
  if (negative || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    problem(`the pickle holds an integer at byte ${at} that is negative or too large to be an array size`);
  }
}
