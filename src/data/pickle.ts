import { constants as bufferConstants } from 'node:buffer';
import { constants as fsConstants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { Parser } from 'pickleparser';
import { UserError } from '../util/user_error.js';
import type { RawDataset } from './dataset.js';
import { readContents } from './pickle/contents.js';
import { assertAllowedGlobal, createResolver } from './pickle/globals.js';
import { scanPickle } from './pickle/opcodes.js';
import { PickleProblem, problem, quoteForMessage } from './pickle/problem.js';

// Reads the notebook's data file: a Python pickle of (X, y) numpy arrays, protocols 2-5, written by
// numpy 1.x or 2.x. The file is untrusted: an opcode scan runs before pickleparser, only the handful
// of numpy globals resolve (to inert placeholders), and sizes are checked against the bytes present
// before anything is allocated. See pickle/values.ts for how pixel dtypes and ranges are mapped.

/** Loads a pickle of `(X, y)` numpy arrays; every problem becomes a one-sentence UserError naming the file. */
export async function loadPickle(path: string): Promise<RawDataset> {
  let bytes: Uint8Array;
  try {
    bytes = await readWholeFile(path);
  } catch (error) {
    throw toUserError(error, path);
  }
  return parsePickle(bytes, path);
}

/** Decodes pickle bytes already in memory, with `source` naming them in messages and in the result. */
export function parsePickle(bytes: Uint8Array, source: string): RawDataset {
  try {
    if (bytes.length === 0) problem('the file is empty');
    // A plain view, so byte strings the parser slices out are Uint8Arrays even when given a Buffer.
    const plain = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    scanPickle(plain, assertAllowedGlobal);
    const parser = new Parser({
      nameResolver: createResolver(plain.length),
      // Maps keep keys such as `__proto__` as plain data; the scan has already refused DICT, which ignores this.
      unpicklingTypeOfDictionary: 'Map',
      unpicklingTypeOfSet: 'array',
    });
    return readContents(parser.parse<unknown>(plain), source);
  } catch (error) {
    throw toUserError(error, source);
  }
}

async function readWholeFile(path: string): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    // Non-blocking, so that opening a FIFO cannot wait forever for a writer.
    handle = await open(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (error) {
    return problem(fileErrorText(error));
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) problem('it is a directory, not a pickle file');
    // Devices and pipes may never end.
    if (!info.isFile()) problem('it is not a regular file');
    if (info.size === 0) problem('the file is empty');
    if (info.size > bufferConstants.MAX_LENGTH) {
      problem(`it is ${info.size} bytes, more than the ${bufferConstants.MAX_LENGTH} bytes Node.js can hold in memory`);
    }
    const bytes = new Uint8Array(info.size);
    let filled = 0;
    while (filled < bytes.length) {
      // Chunks keep each read below the 2 GiB a single read call accepts.
      const { bytesRead } = await handle.read(bytes, filled, Math.min(bytes.length - filled, 2 ** 30), filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return bytes.subarray(0, filled);
  } catch (error) {
    if (error instanceof PickleProblem) throw error;
    return problem(fileErrorText(error));
  } finally {
    await handle.close();
  }
}

function fileErrorText(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : undefined;
  switch (code) {
    case 'ENOENT':
      return 'the file does not exist';
    case 'ENOTDIR':
      return 'the file does not exist (part of its path is a file, not a directory)';
    case 'EISDIR':
      return 'it is a directory, not a pickle file';
    case 'EACCES':
    case 'EPERM':
      return 'permission to read it was denied';
    case 'ELOOP':
      return 'its path is a loop of symbolic links';
    default:
      return `it could not be read (${quoteForMessage(code ?? (error instanceof Error ? error.message : String(error)))})`;
  }
}

function toUserError(error: unknown, source: string): UserError {
  if (error instanceof UserError) return error;
  // The cause is kept so tests can tell the loader's own diagnoses from errors it only caught.
  const cause = { cause: error };
  if (error instanceof PickleProblem) return new UserError(`Cannot load ${source}: ${error.message}.`, cause);
  if (error instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer/i.test(error.message)) {
    return new UserError(`Cannot load ${source}: it is too large to decode in the memory available.`, cause);
  }
  // pickleparser assumes well-formed input; what it throws on a stream that passed the scan means
  // the objects were wired together in a way no pickler writes.
  return new UserError(`Cannot load ${source}: the pickle is corrupt (its objects do not fit together as a pickler writes them).`, cause);
}
