import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { IMAGE_SIZE, PIXELS } from '../dataset.js';

/** Images and labels of a generated data set, as stored in a cache file. */
export interface CachedData {
  pixels: Uint8Array;
  labels: Uint8Array;
}

const MAGIC = 0x4c4e5953; // 'SYNL' read little-endian: synthetic labels and pixels
// magic, generator version, count, image side, seed (low and high words), CRC-32 of the body.
const HEADER_BYTES = 28;

/** Where the cache file for (version, seed, samples) lives under `dir`. */
export function cacheFile(dir: string, version: number, seed: number, samples: number): string {
  return join(dir, `synthetic-v${version}-seed${seed}-n${samples}.bin`);
}

function header(version: number, seed: number, data: CachedData): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.writeUInt32LE(MAGIC, 0);
  h.writeUInt32LE(version, 4);
  h.writeUInt32LE(data.labels.length, 8);
  h.writeUInt32LE(IMAGE_SIZE, 12);
  h.writeInt32LE(seed | 0, 16);
  h.writeInt32LE(Math.floor(seed / 4294967296), 20);
  h.writeUInt32LE(crc32(data.pixels, crc32(data.labels)), 24);
  return h;
}

/**
 * The cached data for (version, seed, samples), or null when the file is missing or is not
 * exactly what that run would write (wrong header, wrong size, failed checksum): a bad cache
 * costs a regeneration, never a crash or silently wrong data.
 */
export function readCache(path: string, version: number, seed: number, samples: number): CachedData | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    if (fstatSync(fd).size !== HEADER_BYTES + samples * (1 + PIXELS)) return null;
    const stored = Buffer.alloc(HEADER_BYTES);
    const labels = new Uint8Array(samples);
    const pixels = new Uint8Array(samples * PIXELS);
    // Read straight into arrays of their own so callers may transfer or keep them independently.
    let position = 0;
    for (const target of [stored, labels, pixels]) {
      let filled = 0;
      while (filled < target.length) {
        const n = readSync(fd, target, filled, target.length - filled, position);
        if (n === 0) return null;
        filled += n;
        position += n;
      }
    }
    const data = { labels, pixels };
    return stored.equals(header(version, seed, data)) ? data : null;
  } finally {
    closeSync(fd);
  }
}

/** Writes the cache file through a temporary file and a rename, so an interrupted run leaves no partial file under the real name. */
export function writeCache(path: string, version: number, seed: number, data: CachedData): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'w');
    try {
      for (const part of [header(version, seed, data), data.labels, data.pixels]) {
        for (let done = 0; done < part.length; ) done += writeSync(fd, part, done, part.length - done);
      }
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
