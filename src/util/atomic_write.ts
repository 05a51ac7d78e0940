import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see either nothing or all of it: a temporary file beside it, renamed over
 * the target once complete (rename is atomic within one file system).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  try {
    await writeFile(partial, data);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * Fills a folder through `fill` in a temporary sibling, then renames it into place, replacing any older
 * one: an interrupted write never leaves a half-filled folder under the final name.
 */
export async function writeDirAtomic(path: string, fill: (partialDir: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  await rm(partial, { recursive: true, force: true });
  try {
    await mkdir(partial);
    await fill(partial);
    await rm(path, { recursive: true, force: true });
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}
