import { constants as bufferConstants } from 'node:buffer';
import { constants as fsConstants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { RawDataset } from './dataset.js';
import { PickleProblem, problem, quoteForMessage } from './pickle/problem.js';
import { parsePickle, toUserError } from './pickle_bytes.js';

export { parsePickle } from './pickle_bytes.js';

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
