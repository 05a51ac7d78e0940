import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NUM_CLASSES, PIXELS, type RawDataset } from '../../src/data/dataset.js';
import { UNIT_SCALE } from '../../src/data/normalize.js';
import { loadPickle, parsePickle } from '../../src/data/pickle.js';
import { UserError } from '../../src/util/user_error.js';

// Fixtures and their expected values come from test/fixtures/make_pickles.py (numpy-written pickles).
const dir = fileURLToPath(new URL('../fixtures/pickles/', import.meta.url));

interface GoodFixture {
  load: true;
  protocol: number;
  count: number;
  pixelType: 'uint8' | 'float32';
  pixelSum: number;
  pixelWeightedSum: number;
  samples: [number, number][];
  labels: number[];
}
interface BadFixture {
  load: false;
  mentions: string[];
}

const manifest = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, GoodFixture | BadFixture>;
const good = Object.entries(manifest).filter((entry): entry is [string, GoodFixture] => entry[1].load);
const bad = Object.entries(manifest).filter((entry): entry is [string, BadFixture] => !entry[1].load);

async function loadError(path: string): Promise<UserError> {
  const error = await loadPickle(path).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

/** One sentence on one line, naming the file, with nothing of a stack trace. */
function expectOneSentence(message: string, path: string): void {
  expect(message.startsWith(`Cannot load ${path}: `)).toBe(true);
  expect(message).toMatch(/\.$/);
  expect(message).not.toMatch(/[\r\n]/);
  expect(message).not.toMatch(/\bat .+:\d+:\d+/);
}

function expectValidDataset(data: RawDataset): void {
  expect(data.count).toBeGreaterThan(0);
  expect(data.pixels.length).toBe(data.count * PIXELS);
  expect(data.labels.length).toBe(data.count);
  expect(data.labels.every((label) => label < NUM_CLASSES)).toBe(true);
  if (data.pixels instanceof Float32Array) {
    expect(data.pixels.every((v) => v >= 0 && v <= 1)).toBe(true);
  } else {
    expect(data.pixels).toBeInstanceOf(Uint8Array);
  }
}

describe('loadPickle: files numpy wrote', () => {
  it('the fixtures cover every protocol, numpy 2 names, and both pixel types', () => {
    expect(new Set(good.map(([, f]) => f.protocol))).toEqual(new Set([2, 3, 4, 5]));
    expect(good.filter(([name]) => name.includes('numpy2')).length).toBeGreaterThanOrEqual(3);
    expect(new Set(good.map(([, f]) => f.pixelType))).toEqual(new Set(['uint8', 'float32']));
  });

  it.each(good)('%s decodes to the values numpy holds', async (name, expected) => {
    const path = join(dir, name);
    const data = await loadPickle(path);
    expect(data.source).toBe(path);
    expect(data.count).toBe(expected.count);
    expect([...data.labels]).toEqual(expected.labels);
    // Float images that are uint8 levels divided by 255 load as those levels, which normalise to the same floats.
    if (expected.pixelType === 'uint8') expect(data.pixels).toBeInstanceOf(Uint8Array);
    const quantised = expected.pixelType === 'float32' && data.pixels instanceof Uint8Array;
    const valueAt = (i: number): number => (quantised ? UNIT_SCALE[data.pixels[i]!]! : data.pixels[i]!);
    expect(data.pixels.length).toBe(expected.count * PIXELS);
    for (const [index, value] of expected.samples) expect(valueAt(index)).toBe(value);
    let sum = 0;
    let weighted = 0;
    for (let i = 0; i < data.pixels.length; i++) {
      sum += valueAt(i);
      weighted += valueAt(i) * ((i % 1009) + 1);
    }
    // Summation order differs from numpy's, so sums agree to rounding; the position weights catch misordering.
    expect(sum).toBeCloseTo(expected.pixelSum, 6);
    expect(Math.abs(weighted - expected.pixelWeightedSum)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected.pixelWeightedSum));
    expectValidDataset(data);
  });

  it('parsePickle gives the same result from bytes in memory', async () => {
    const path = join(dir, 'p4_fortran_u1.pkl');
    const fromFile = await loadPickle(path);
    const fromBytes = parsePickle(readFileSync(path), 'in-memory');
    expect(fromBytes.source).toBe('in-memory');
    expect(fromBytes.pixels).toEqual(fromFile.pixels);
    expect(fromBytes.labels).toEqual(fromFile.labels);
  });
});

describe('loadPickle: files it must refuse', () => {
  it.each(bad)('%s is refused with a message naming the problem', async (name, expected) => {
    const path = join(dir, name);
    const { message } = await loadError(path);
    expectOneSentence(message, path);
    for (const phrase of expected.mentions) expect(message).toContain(phrase);
  });

  it('refuses a path that does not exist', async () => {
    const path = join(dir, 'no-such-file.pkl');
    const { message } = await loadError(path);
    expectOneSentence(message, path);
    expect(message).toContain('does not exist');
  });

  it('refuses a directory', async () => {
    const { message } = await loadError(dir);
    expectOneSentence(message, dir);
    expect(message).toContain('is a directory');
  });

  it.runIf(process.platform === 'linux')('refuses a device instead of reading it forever', async () => {
    const { message } = await loadError('/dev/zero');
    expectOneSentence(message, '/dev/zero');
    expect(message).toContain('not a regular file');
  });

  it('refuses bytes in memory that are empty', () => {
    expect(() => parsePickle(new Uint8Array(0), 'nothing.pkl')).toThrow(new UserError('Cannot load nothing.pkl: the file is empty.'));
  });
});

describe('parsePickle: crafted streams', () => {
  const bytes = (...parts: (string | number[])[]): Uint8Array =>
    Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part)));
  const refusal = (input: Uint8Array): string => {
    try {
      parsePickle(input, 'crafted.pkl');
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expectOneSentence((error as UserError).message, 'crafted.pkl');
      return (error as UserError).message;
    }
    throw new Error('expected a UserError');
  };

  it('refuses BUILD on anything REDUCE did not make, so pickleparser never falls back to Object.assign', () => {
    expect(refusal(bytes([0x80, 4], ']N', 'b.'))).toContain('BUILD is applied to something other than an object');
  });

  it('refuses REDUCE on anything but a global, and SETITEM on anything but a dict', () => {
    expect(refusal(bytes([0x80, 4], '])R.'))).toContain('REDUCE finds something other than a global');
    expect(refusal(bytes([0x80, 4], 'C', [1], 'aNNs.'))).toContain('SETITEM is applied to something other than a dict');
  });

  it('refuses globals named by non-strings or by huge strings without hashing them', () => {
    expect(refusal(bytes([0x80, 4], 'K', [1], 'K', [2], [0x93], '.'))).toContain('STACK_GLOBAL finds something other than a string');
    const long = 'n'.repeat(100_000);
    const input = bytes([0x80, 4, 0x8d], [0xa0, 0x86, 0x01, 0, 0, 0, 0, 0], long, [0x94], 'h', [0], 'h', [0], [0x93], '.');
    expect(refusal(input)).toContain('refers to the Python global nnnn');
  });

  it('refuses decoding the same protocol-2 byte string again and again from the memo', () => {
    const text = 'x'.repeat(60);
    const reencode = 'h\x00h\x01R0';
    const input = bytes(
      [0x80, 2],
      'c_codecs\nencode\nq',
      [0],
      'X',
      [60, 0, 0, 0],
      text,
      'X',
      [6, 0, 0, 0],
      'latin1',
      [0x86],
      'q',
      [1],
      reencode.repeat(3),
      'N.',
    );
    expect(refusal(input)).toContain('decodes more byte data than the file holds');
  });
});

describe('parsePickle: mutated pickles', () => {
  const seeds = ['fuzz_seed_p2.pkl', 'fuzz_seed_p5.pkl'].map((name) => new Uint8Array(readFileSync(join(dir, name))));
  // Pickle opcodes that change structure, so that mutations exercise more than the pixel bytes.
  const opcodes = [0x28, 0x2e, 0x42, 0x52, 0x62, 0x63, 0x68, 0x71, 0x74, 0x80, 0x85, 0x86, 0x87, 0x8a, 0x8c, 0x93, 0x94, 0x95, 0x96];

  const mutation = (length: number) =>
    fc.record({
      // Half the edits land in the opcode-dense head or tail of the file, half anywhere.
      at: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: length - 400, max: length - 1 }), fc.nat(length - 1)),
      value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...opcodes)),
      kind: fc.constantFrom('set', 'insert', 'delete'),
    });

  it('either load as a valid data set or throw a UserError, quickly', () => {
    const arbitrary = fc.nat(seeds.length - 1).chain((seedIndex) => {
      const length = (seeds[seedIndex] as Uint8Array).length;
      return fc.tuple(fc.constant(seedIndex), fc.array(mutation(length), { minLength: 1, maxLength: 6 }), fc.option(fc.nat(length)));
    });
    fc.assert(
      fc.property(arbitrary, ([seedIndex, edits, cut]) => {
        const bytes = [...(seeds[seedIndex] as Uint8Array)];
        for (const { at, value, kind } of edits) {
          const where = Math.min(at, bytes.length - 1);
          if (kind === 'set') bytes[where] = value;
          else if (kind === 'insert') bytes.splice(where, 0, value);
          else bytes.splice(where, 1);
        }
        const input = Uint8Array.from(cut === null ? bytes : bytes.slice(0, cut));
        const started = performance.now();
        try {
          expectValidDataset(parsePickle(input, 'mutant.pkl'));
        } catch (error) {
          expect(error).toBeInstanceOf(UserError);
          expectOneSentence((error as UserError).message, 'mutant.pkl');
        }
        expect(performance.now() - started).toBeLessThan(2000);
      }),
      { numRuns: 300 },
    );
  });
});
