// The safe pickle loader on bytes already in memory, with no file system: `npm run train` reads the file
// (pickle.ts), the browser page takes the bytes of a file the user drops.
import { Parser } from 'pickleparser';
import { UserError } from '../util/user_error.js';
import type { RawDataset } from './dataset.js';
import { readContents } from './pickle/contents.js';
import { assertAllowedGlobal, createResolver } from './pickle/globals.js';
import { scanPickle } from './pickle/opcodes.js';
import { PickleProblem, problem } from './pickle/problem.js';

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

/** Any error of loading `source` as the one-sentence UserError the user sees. */
export function toUserError(error: unknown, source: string): UserError {
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
