import { describe, expect, it } from 'vitest';
import { PIXELS } from '../../src/data/dataset.js';
import { UNIT_SCALE } from '../../src/data/normalize.js';
import { parsePickle } from '../../src/data/pickle.js';
import { seededRandom } from '../../src/util/random.js';
import { craftArray, craftPickle } from './pickle_craft.js';

// Pixels stay one byte each from the file to the batch: uint8 images are a view of the file's bytes, and
// float images that are uint8 levels divided by 255 become those levels, since they normalise to the same
// float32. Any other float data is kept as float32, as before.

const COUNT = 3;

function levels(): Uint8Array {
  const random = seededRandom(17);
  const out = Uint8Array.from({ length: COUNT * PIXELS }, () => Math.floor(random() * 256));
  out[0] = 0;
  out[1] = 255;
  return out;
}

function pickleOf(code: string, pixels: Uint8Array): Uint8Array {
  const labels = new Uint8Array(new BigInt64Array([0n, 5n, 35n]).buffer);
  return craftPickle(4, craftArray('reconstruct', [COUNT, PIXELS], code, pixels), craftArray('reconstruct', [COUNT], '<i8', labels));
}

const bytesOf = (values: Float32Array | Float64Array): Uint8Array => new Uint8Array(values.buffer);

describe('loadPickle keeps pixels at one byte each', () => {
  it('uint8 images are a view of the bytes read, not a copy', () => {
    const file = pickleOf('u1', levels());
    const data = parsePickle(file, 'u1.pkl');
    expect(data.pixels).toBeInstanceOf(Uint8Array);
    expect(data.pixels.buffer).toBe(file.buffer);
    expect(data.pixels).toEqual(levels());
  });

  it('float32 levels / 255 in [0, 1] load as the uint8 levels', () => {
    const data = parsePickle(pickleOf('<f4', bytesOf(Float32Array.from(levels(), (k) => k / 255))), 'f4.pkl');
    expect(data.pixels).toBeInstanceOf(Uint8Array);
    expect(data.pixels).toEqual(levels());
  });

  it('float64 whole numbers in [0, 255] load as the uint8 levels', () => {
    const data = parsePickle(pickleOf('<f8', bytesOf(Float64Array.from(levels()))), 'f8.pkl');
    expect(data.pixels).toBeInstanceOf(Uint8Array);
    expect(data.pixels).toEqual(levels());
  });

  it('float data with one value that is no level stays float32, with the values it always had', () => {
    const values = Float32Array.from(levels(), (k) => UNIT_SCALE[k]!);
    values[PIXELS + 7] = 0.5;
    const data = parsePickle(pickleOf('<f4', bytesOf(values)), 'half.pkl');
    expect(data.pixels).toBeInstanceOf(Float32Array);
    expect(data.pixels).toEqual(values);
  });

  it('a negative zero stays float32, so that not even the sign of a zero changes', () => {
    const values = Float32Array.from(levels(), (k) => UNIT_SCALE[k]!);
    values[2] = -0;
    const data = parsePickle(pickleOf('<f4', bytesOf(values)), 'negzero.pkl');
    expect(data.pixels).toBeInstanceOf(Float32Array);
    expect(Object.is(data.pixels[2], -0)).toBe(true);
  });
});
