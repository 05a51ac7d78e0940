import { inflateSync } from 'node:zlib';

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'
const CMAP_TAG = 0x636d6170; // 'cmap'

/** The table bytes tagged `tag` in a WOFF 1 file, decompressed. */
function woffTable(file: Buffer, tag: number): Buffer {
  if (file.length < 44 || file.readUInt32BE(0) !== WOFF_SIGNATURE) throw new Error('not a WOFF 1 file');
  const numTables = file.readUInt16BE(12);
  for (let i = 0; i < numTables; i++) {
    const entry = 44 + i * 20;
    if (file.readUInt32BE(entry) !== tag) continue;
    const offset = file.readUInt32BE(entry + 4);
    const compLength = file.readUInt32BE(entry + 8);
    const origLength = file.readUInt32BE(entry + 12);
    const data = file.subarray(offset, offset + compLength);
    // WOFF stores a table raw when zlib would not have made it smaller.
    return compLength < origLength ? inflateSync(data) : data;
  }
  throw new Error('font has no cmap table');
}

/** Glyph id of `code` in a cmap subtable of format 4 (16-bit segments); 0 means missing. */
function glyphFormat4(t: Buffer, code: number): number {
  const segCount = t.readUInt16BE(6) / 2;
  const ends = 14;
  const starts = ends + segCount * 2 + 2;
  const deltas = starts + segCount * 2;
  const rangeOffsets = deltas + segCount * 2;
  for (let s = 0; s < segCount; s++) {
    if (t.readUInt16BE(ends + s * 2) < code) continue;
    const start = t.readUInt16BE(starts + s * 2);
    if (start > code) return 0;
    const delta = t.readInt16BE(deltas + s * 2);
    const rangeOffsetAt = rangeOffsets + s * 2;
    const rangeOffset = t.readUInt16BE(rangeOffsetAt);
    if (rangeOffset === 0) return (code + delta) & 0xffff;
    const glyph = t.readUInt16BE(rangeOffsetAt + rangeOffset + (code - start) * 2);
    return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
  }
  return 0;
}

/** Glyph id of `code` in a cmap subtable of format 12 (32-bit groups); 0 means missing. */
function glyphFormat12(t: Buffer, code: number): number {
  const groups = t.readUInt32BE(12);
  for (let g = 0; g < groups; g++) {
    const at = 16 + g * 12;
    const start = t.readUInt32BE(at);
    if (code >= start && code <= t.readUInt32BE(at + 4)) return t.readUInt32BE(at + 8) + code - start;
  }
  return 0;
}

/** The characters of `chars` that a WOFF 1 font's Unicode character map does not cover. */
export function missingGlyphs(file: Buffer, chars: string): string[] {
  const cmap = woffTable(file, CMAP_TAG);
  const count = cmap.readUInt16BE(2);
  const subtables: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const platform = cmap.readUInt16BE(4 + i * 8);
    const encoding = cmap.readUInt16BE(6 + i * 8);
    // Unicode platform (0) or Windows Unicode BMP/full (3,1 / 3,10); other maps use legacy encodings.
    if (platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10))) {
      subtables.push(cmap.subarray(cmap.readUInt32BE(8 + i * 8)));
    }
  }
  if (subtables.length === 0) throw new Error('font has no Unicode character map');
  const lookup = (code: number): number => {
    for (const t of subtables) {
      const format = t.readUInt16BE(0);
      const glyph = format === 4 ? glyphFormat4(t, code) : format === 12 ? glyphFormat12(t, code) : 0;
      if (glyph !== 0) return glyph;
    }
    return 0;
  };
  return [...chars].filter((ch) => lookup(ch.codePointAt(0)!) === 0);
}
