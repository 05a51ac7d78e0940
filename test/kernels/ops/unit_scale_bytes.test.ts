// The byte-to-[0, 1] kernel that makes training batches on our backend, against the JavaScript
// normalisation it replaces: the same float32 bits for every byte, at every size and thread count.
import { beforeAll, describe, expect, test } from 'vitest';
import { openWasm } from '../../../src/backends/wasm.js';
import { UNIT_SCALE } from '../../../src/data/normalize.js';
import { UNIT_SCALE_BYTES } from '../../../src/kernels/ops/unit_scale_bytes.js';
import { seededRandom } from '../../../src/util/random.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { runKernelOn } from '../../support/kernels/run_kernel.js';

// Below one 16-byte block, odd tails, and sizes above the one at which the kernel splits across threads
// (the last is a batch of 128 FC images plus a ragged tail).
const SIZES = [1, 15, 16, 17, 1023, 65_537, 128 * 3136 + 5];

function randomBytes(n: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  // Every byte value appears in the larger arrays; the first 256 of the largest are 0..255 in order.
  return Uint8Array.from({ length: n }, (_, i) => (n > 1024 && i < 256 ? i : Math.floor(random() * 256)));
}

test('dividing a byte by 255 in float32 gives the bits the JavaScript normalisation stores, for all 256 bytes', () => {
  for (let v = 0; v < 256; v++) expect(Object.is(Math.fround(v / 255), UNIT_SCALE[v]), `byte ${v}`).toBe(true);
});

describe.each(KERNEL_VARIANTS)('UnitScaleBytes, $kernelIsa build, $threads thread(s)', (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  test.each(SIZES.map((n, i) => ({ n, seed: 11 + i })))('equals the table bit for bit: n=$n', ({ n, seed }) => {
    const bytes = randomBytes(n, seed);
    // Unaligned in its buffer: a batch's bytes are a view into a larger array.
    const view = new Uint8Array(n + 3);
    view.set(bytes, 3);
    const got = runKernelOn(backend, UNIT_SCALE_BYTES, {}, { bytes: view.subarray(3), shape: [n] });
    expect(got.length).toBe(n);
    const at = got.findIndex((v, i) => !Object.is(v, UNIT_SCALE[bytes[i]!]));
    expect(at, `first difference at ${at}: got ${got[at]}, want ${UNIT_SCALE[bytes[at]!]}`).toBe(-1);
  });

  test('takes any shape of the same size, and refuses bytes of another size', () => {
    const bytes = randomBytes(2 * 56 * 56, 3);
    const got = runKernelOn(backend, UNIT_SCALE_BYTES, {}, { bytes, shape: [2, 56, 56, 1] });
    expect(Array.from(got.subarray(0, 5))).toEqual(Array.from(bytes.subarray(0, 5), (v) => UNIT_SCALE[v]));
    expect(() => runKernelOn(backend, UNIT_SCALE_BYTES, {}, { bytes, shape: [3, 56, 56, 1] })).toThrow(/needs 9408 bytes/);
  });
});
