import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { openCpu } from '../../src/backends/cpu.js';
import { openWasm } from '../../src/backends/wasm.js';
import { NUM_CLASSES, PIXELS } from '../../src/data/dataset.js';
import { preprocess } from '../../src/data/preprocess.js';
import { UNIT_SCALE_BYTES } from '../../src/kernels/ops/unit_scale_bytes.js';
import { BatchMaker } from '../../src/train/batch.js';
import { seededPermutation, seededRandom } from '../../src/util/random.js';

beforeAll(async () => {
  await openCpu();
});

const COUNT = 70;
const random = seededRandom(5);
const pixels = Uint8Array.from({ length: COUNT * PIXELS }, () => Math.floor(random() * 256));
const labels = Uint8Array.from({ length: COUNT }, (_, i) => (i * 5) % NUM_CLASSES);
const data = preprocess({ pixels, labels, count: COUNT, source: 'test' }, { testSplit: 0.2, seed: 3 });

/** The float32 training split as the whole-set preprocessing made it: gathered in split order, each uint8 times 1/255. */
function wholeSetSplit(): Float32Array {
  const x = new Float32Array(data.train.count * PIXELS);
  data.train.rows.forEach((row, i) => {
    for (let p = 0; p < PIXELS; p++) x[i * PIXELS + p] = pixels[row * PIXELS + p]! * (1 / 255);
  });
  return x;
}

/** Batches of 16 in a shuffled order, compared with the whole split's bits on the active backend. */
function expectWholeSetBits(): void {
  const whole = wholeSetSplit();
  const order = seededPermutation(data.train.count, 42);
  const batches = new BatchMaker(data.train, false, 16);
  for (let start = 0; start < data.train.count; start += 16) {
    const size = Math.min(16, data.train.count - start);
    const { xs, ys } = batches.make(order, start, size);
    expect(xs.shape).toEqual([size, PIXELS]);
    const x = xs.dataSync() as Float32Array;
    const y = ys.dataSync();
    for (let i = 0; i < size; i++) {
      const position = order[start + i]!;
      const expected = whole.subarray(position * PIXELS, (position + 1) * PIXELS);
      expect(new Uint32Array(x.slice(i * PIXELS, (i + 1) * PIXELS).buffer)).toEqual(new Uint32Array(expected.slice().buffer));
      const hot = Array.from(y.slice(i * NUM_CLASSES, (i + 1) * NUM_CLASSES));
      expect(hot.indexOf(1)).toBe(data.train.labels[position]);
      expect(hot.reduce((a, b) => a + b)).toBe(1);
    }
    tf.dispose([xs, ys]);
  }
}

describe('BatchMaker', () => {
  test('batches hold the bits the whole-set float32 split held, with one-hot labels, the last batch short', () => {
    expectWholeSetBits();
  });

  test('on our backend, the bytes go through its kernel, with the same bits', async () => {
    await openWasm({ threads: 2 });
    const runKernel = vi.spyOn(tf.engine(), 'runKernel');
    try {
      expectWholeSetBits();
      expect(runKernel.mock.calls.filter(([name]) => name === UNIT_SCALE_BYTES).length).toBe(Math.ceil(data.train.count / 16));
    } finally {
      runKernel.mockRestore();
      tf.setBackend('cpu');
    }
  });

  test('images come NHWC for the CNN', () => {
    const batches = new BatchMaker(data.test, true, 8);
    const { xs, ys } = batches.make(Uint32Array.of(0, 1, 2), 0, 3);
    expect(xs.shape).toEqual([3, 56, 56, 1]);
    tf.dispose([xs, ys]);
  });

  test('refuses to refill its buffer while the last batch is alive, and a batch larger than it holds', () => {
    const batches = new BatchMaker(data.test, false, 4);
    const order = Uint32Array.of(0, 1, 2, 3);
    const first = batches.make(order, 0, 4);
    expect(() => batches.make(order, 0, 4)).toThrow(/previous batch is still in use/);
    tf.dispose([first.xs, first.ys]);
    const second = batches.make(order, 0, 4);
    tf.dispose([second.xs, second.ys]);
    expect(() => batches.make(order, 0, 5)).toThrow(RangeError);
  });
});
