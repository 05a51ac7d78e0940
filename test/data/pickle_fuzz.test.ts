import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type ArrayForm, craftArray, craftLength8, craftPickle } from './pickle_craft.js';
import type { FuzzRequest, FuzzResult } from './pickle_fuzz_worker.js';

// Property-based fuzzing of the pickle loader. Every case runs on a worker thread and must, within
// a hang guard, either load as a valid data set or be refused with the loader's own one-sentence
// UserError, and must not grow ArrayBuffer memory by more than a small multiple of the input's
// size. FUZZ_RUNS=N runs N cases per property (default 300); FUZZ_SEED=N changes the fixed seed.

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
/** A hang guard, not a speed target: real cases take milliseconds. */
const HANG_GUARD_MS = 2000;
/** The loader keeps at most a few copies of the data (decoded values, pixels); 64 KiB covers small fixed costs. */
const ALLOWED_GROWTH = (size: number): number => 4 * size + 64 * 1024;
const NAME = 'fuzz.pkl';

const dir = fileURLToPath(new URL('../fixtures/pickles/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, { load: boolean }>;
const fixtureNames = readdirSync(dir)
  .filter((name) => name.endsWith('.pkl'))
  .sort();
const fixtures = fixtureNames.map((name) => new Uint8Array(readFileSync(join(dir, name))));
const valid = fixtureNames.flatMap((name, i) => (manifest[name]?.load === true ? [fixtures[i] as Uint8Array] : []));
// Opcodes that change structure, so random and mutated streams get past the first few bytes.
const OPCODES = [
  0x28, 0x29, 0x2e, 0x30, 0x31, 0x32, 0x42, 0x43, 0x4a, 0x4b, 0x4d, 0x4e, 0x52, 0x5d, 0x61, 0x62, 0x63, 0x65, 0x68, 0x6a, 0x71, 0x72, 0x73, 0x74, 0x75, 0x7d,
  0x80, 0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x98,
];

/** The fuzz worker, restarted after a case it had to be stopped on. */
class LoaderThread {
  private worker: Worker | undefined;
  private nextId = 0;
  /** Cases run, over all properties, for the count printed at the end. */
  cases = 0;

  private start(): Worker {
    // A plain Worker with a .ts entry needs tsx's hooks registered inside the thread (see src/kernels/runtime/thread_entry.ts).
    const execArgv = ['--import', new URL('../../src/kernels/runtime/tsx_register.mjs', import.meta.url).href];
    const worker = new Worker(fileURLToPath(new URL('./pickle_fuzz_worker.ts', import.meta.url)), { execArgv });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Runs one case; a case still running after `guardMs` ends the thread and fails. */
  async run(bytes: Uint8Array, options: { allocateOnly?: boolean; exact?: boolean; guardMs?: number } = {}): Promise<FuzzResult> {
    const worker = this.worker ?? this.start();
    const request: FuzzRequest = {
      id: this.nextId++,
      bytes,
      name: NAME,
      allowedBytes: ALLOWED_GROWTH(bytes.length),
      allocateOnly: options.allocateOnly ?? false,
      exact: options.exact ?? false,
    };
    this.cases++;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<FuzzResult>((resolve, reject) => {
        const onMessage = (result: FuzzResult): void => {
          if (result.id === request.id) resolve(result);
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
        timer = setTimeout(() => {
          reject(new Error(`the loader did not finish within ${options.guardMs ?? HANG_GUARD_MS} ms on ${hex(bytes)}`));
        }, options.guardMs ?? HANG_GUARD_MS);
        worker.postMessage(request);
      }).finally(() => worker.removeAllListeners('message').removeAllListeners('error'));
    } catch (error) {
      this.worker = undefined;
      await worker.terminate();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

const thread = new LoaderThread();
const counts = { loaded: 0, refused: 0 };

afterAll(async () => {
  console.log(`pickle fuzz: ${thread.cases} cases (${counts.loaded} loaded, ${counts.refused} refused), seed ${SEED}`);
  await thread.close();
});

function hex(bytes: Uint8Array): string {
  const shown = Buffer.from(bytes.subarray(0, 512)).toString('hex');
  return `${bytes.length} bytes: ${shown}${bytes.length > 512 ? '...' : ''}`;
}

/** Runs one input and checks the outcome is a valid load or the loader's own refusal, within the allocation bound. */
async function expectLoadOrRefusal(bytes: Uint8Array, exact = false): Promise<FuzzResult> {
  const result = await thread.run(bytes, { exact });
  if (result.outcome === 'wrong') expect.fail(`${result.detail} on ${hex(bytes)}`);
  if (result.allocatedBytes > ALLOWED_GROWTH(bytes.length)) {
    expect.fail(`the loader allocated ${result.allocatedBytes} bytes for a ${bytes.length}-byte input (${result.detail}): ${hex(bytes)}`);
  }
  counts[result.outcome]++;
  return result;
}

const assertOptions = { numRuns: RUNS, seed: SEED, endOnFailure: false } as const;
/** Room for big FUZZ_RUNS batches past vitest's per-test timeout; each case normally takes about a millisecond. */
const PROPERTY_TIMEOUT_MS = 120_000 + RUNS * 20;
const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...OPCODES));

describe('pickle fuzz: the probe', () => {
  it('sees an allocation the size of a declared array, so the allocation bound can fail', async () => {
    // Warm-up: the first case pays for starting the thread and loading the loader.
    await thread.run(Uint8Array.of(0x80, 4, 0x2e), { guardMs: 120_000 });
    const result = await thread.run(new Uint8Array(32 * 1024), { allocateOnly: true });
    expect(result.allocatedBytes).toBeGreaterThanOrEqual(32 * 1024 * 1024);
    expect(result.allocatedBytes).toBeGreaterThan(ALLOWED_GROWTH(32 * 1024));
  });

  it('a valid fixture loads, and its growth is measured but within the bound', async () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'p2_float64_unit.pkl')));
    const result = await expectLoadOrRefusal(bytes, true);
    expect(result.outcome).toBe('loaded');
    // At least the float32 pixels it returns, one 56x56 image.
    expect(result.allocatedBytes).toBeGreaterThanOrEqual(56 * 56 * 4);
  });
});

describe('pickle fuzz: properties', () => {
  it(
    `random bytes, bare or after a protocol header (${RUNS} cases)`,
    async () => {
      const header = fc.oneof(
        fc.constant([] as number[]),
        fc.integer({ min: 2, max: 5 }).map((protocol) => [0x80, protocol]),
        fc.integer({ min: 0, max: 255 }).map((protocol) => [0x80, protocol]),
      );
      const body = fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.array(byte, { maxLength: 512 }));
      await fc.assert(
        fc.asyncProperty(header, body, async (head, rest) => {
          await expectLoadOrRefusal(Uint8Array.from([...head, ...rest]));
        }),
        assertOptions,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    `truncations of every valid fixture are refused as truncated (${RUNS} cases)`,
    async () => {
      expect(valid.length).toBeGreaterThanOrEqual(25);
      const cut = fc.nat(valid.length - 1).chain((index) => fc.tuple(fc.constant(index), fc.nat((valid[index] as Uint8Array).length - 1)));
      await fc.assert(
        fc.asyncProperty(cut, async ([index, length]) => {
          const result = await expectLoadOrRefusal((valid[index] as Uint8Array).subarray(0, length));
          // A prefix of a valid stream has only valid opcodes, so the one thing wrong is its end.
          expect(result.outcome).toBe('refused');
          expect(result.detail).toMatch(length === 0 ? /is empty/ : /truncated/);
        }),
        assertOptions,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    `byte-level mutations of fixtures: flip, insert, delete, overwrite, splice (${RUNS} cases)`,
    async () => {
      type Edit =
        | { kind: 'flip' | 'insert' | 'delete' | 'overwrite'; at: number; value: number }
        | { kind: 'splice'; other: number; from: number; to: number; at: number };
      const edit: fc.Arbitrary<Edit> = fc.oneof(
        fc.record({ kind: fc.constantFrom('flip' as const, 'insert' as const, 'delete' as const, 'overwrite' as const), at: fc.nat(), value: byte }),
        fc.record({ kind: fc.constant('splice' as const), other: fc.nat(fixtures.length - 1), from: fc.nat(), to: fc.nat(), at: fc.nat() }),
      );
      // Half the edits land in the opcode-dense first and last 300 bytes, where a change alters structure.
      const position = (at: number, length: number): number => {
        if (length === 0) return 0;
        const zone = at % 4;
        if (zone === 0) return at % Math.min(length, 300);
        if (zone === 1) return Math.max(0, length - 1 - (at % 300));
        return at % length;
      };
      const apply = (base: Uint8Array, edits: Edit[]): Uint8Array => {
        const out = [...base];
        for (const e of edits) {
          const at = position(e.at, out.length);
          if (e.kind === 'splice') {
            const other = fixtures[e.other] as Uint8Array;
            const from = position(e.from, other.length);
            const to = from + (e.to % Math.max(1, other.length - from + 1));
            out.splice(at, out.length - at, ...other.subarray(from, to));
          } else if (e.kind === 'flip') out[at] = (out[at] ?? 0) ^ (1 << (e.value % 8));
          else if (e.kind === 'insert') out.splice(at, 0, e.value);
          else if (e.kind === 'delete') out.splice(at, 1);
          else out[at] = e.value;
        }
        return Uint8Array.from(out);
      };
      await fc.assert(
        fc.asyncProperty(fc.nat(fixtures.length - 1), fc.array(edit, { minLength: 1, maxLength: 6 }), async (index, edits) => {
          await expectLoadOrRefusal(apply(fixtures[index] as Uint8Array, edits));
        }),
        assertOptions,
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('pickle fuzz: 100 GB declarations in 1 KB files are refused before allocation', () => {
  const HUGE = 100n * 10n ** 9n;
  const oneImage = new Uint8Array(512);
  const labels = (form: ArrayForm): number[] => craftArray(form, [1], 'u1', Uint8Array.of(7));

  it('a crafted pickle with a true declaration loads, so the refusals below are about size alone', async () => {
    for (const form of ['reconstruct', 'frombuffer'] as const) {
      const x = craftArray(form, [1, 56, 56], 'u1', new Uint8Array(56 * 56).fill(200));
      const result = await expectLoadOrRefusal(craftPickle(form === 'frombuffer' ? 5 : 4, x, labels(form)));
      expect(result).toMatchObject({ outcome: 'loaded' });
    }
  });

  const shapes: [number[], string, string][] = [
    [[10 ** 6, 10 ** 5], 'u1', 'uint8'],
    [[31_887_756, 56, 56], 'u1', 'uint8'],
    [[7_971_939, 3136], '<f4', 'float32'],
    [[3_985_970, 56, 56, 1], '<f8', 'float64'],
    [[3_985_970, 3136], '<i8', 'int64'],
    [[2 ** 40, 2 ** 40, 2 ** 40], '<i4', 'int32'],
  ];
  for (const form of ['reconstruct', 'frombuffer'] as const) {
    it.each(shapes)(`X of shape %j and dtype %s, as numpy's ${form}`, async (shape, code, dtypeName) => {
      const input = craftPickle(form === 'frombuffer' ? 5 : 4, craftArray(form, shape, code, oneImage), labels(form));
      expect(input.length).toBeLessThan(1024);
      const result = await expectLoadOrRefusal(input);
      expect(result.outcome).toBe('refused');
      const needed = shape.reduce((product, dim) => product * BigInt(dim), BigInt(Number(code.at(-1))));
      expect(needed).toBeGreaterThanOrEqual(HUGE);
      expect(result.detail).toContain(`X declares shape (${shape.join(', ')}) of ${dtypeName}, which needs ${needed} bytes`);
      expect(result.detail).toContain('the file holds 512 bytes of data for it');
      expect(result.allocatedBytes).toBeLessThan(64 * 1024);
    });
  }

  it('y declaring 100 GB of labels is refused the same way', async () => {
    const x = craftArray('reconstruct', [1, 3136], 'u1', new Uint8Array(3136));
    const result = await expectLoadOrRefusal(craftPickle(4, x, craftArray('reconstruct', [Number(HUGE)], 'u1', Uint8Array.of(1))));
    expect(result.outcome).toBe('refused');
    expect(result.detail).toContain(`y declares shape (${HUGE},) of uint8, which needs ${HUGE} bytes`);
  });

  it.each([
    ['BINBYTES8', 0x8e, 'byte string'],
    ['BYTEARRAY8', 0x96, 'byte string'],
    ['BINUNICODE8', 0x8d, 'text'],
    ['FRAME', 0x95, 'frame'],
  ] as const)('%s declaring 100 GB', async (_name, opcode, what) => {
    const input = Uint8Array.from([0x80, 5, ...craftLength8(opcode, HUGE, 1000)]);
    const result = await expectLoadOrRefusal(input);
    expect(result.outcome).toBe('refused');
    expect(result.detail).toContain(`the ${what} at byte 2 declares ${HUGE} bytes, but only 1000 follow`);
    expect(result.allocatedBytes).toBeLessThan(64 * 1024);
  });

  it('a length of 2**64 - 1 is reported exactly, not rounded', async () => {
    const result = await expectLoadOrRefusal(Uint8Array.from([0x80, 4, ...craftLength8(0x8e, 2n ** 64n - 1n, 10)]));
    expect(result.detail).toContain('declares 18446744073709551615 bytes, but only 10 follow');
  });
});
