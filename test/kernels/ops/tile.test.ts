// Tile against the CPU backend: batch norm's gradient tiles per-channel vectors over whole activations, and any
// other tile a program asks for must give tfjs's answer too, from our kernel or the stock one.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../../src/backends/wasm.js';
import { collapseTile } from '../../../src/kernels/ops/tile.js';
import { seededRandom } from '../../../src/util/random.js';
import { expectClose } from '../../support/expect_close.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { randomTensor, runKernelOn, runOpOn } from '../../support/kernels/run_kernel.js';

const CASES: ReadonlyArray<{ shape: number[]; reps: number[] }> = [
  // tfjs's batch-norm gradient (a channel vector over [N, H, W]), above the size that splits across threads.
  { shape: [1, 1, 1, 16], reps: [32, 28, 28, 1] },
  { shape: [1, 1, 1, 64], reps: [32, 7, 7, 1] },
  { shape: [5], reps: [3] },
  { shape: [3, 1], reps: [2, 7] },
  { shape: [2, 3, 4], reps: [1, 1, 1] },
  { shape: [2, 3, 5], reps: [3, 1, 2] },
  { shape: [4, 1, 3, 1, 2], reps: [2, 3, 1, 5, 2] },
  { shape: [3, 5, 2, 7], reps: [2, 3, 4, 2] },
  { shape: [17, 3, 9, 6], reps: [4, 5, 3, 2] },
  { shape: [], reps: [] },
  { shape: [3, 0, 2], reps: [2, 2, 2] },
  // Six axes that stay six when collapsed: tfjs's own kernel.
  { shape: [2, 3, 2, 3, 2, 3], reps: [2, 1, 3, 1, 2, 2] },
];

describe.each(KERNEL_VARIANTS)('Tile, $kernelIsa build, $threads thread(s)', (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  test.each(CASES.map((c, i) => ({ ...c, seed: 70 + i })))('copies like the CPU backend: $shape by $reps', ({ shape, reps, seed }) => {
    const x = randomTensor(shape, seed);
    const want = runKernelOn('cpu', 'Tile', { x }, { reps });
    const got = runKernelOn(backend, 'Tile', { x }, { reps });
    if (want.length === 0) expect(got).toHaveLength(0);
    else expectClose(got, want, 0);
  });

  test('copies int32 (exact in float32 here) and bool tensors', () => {
    const random = seededRandom(5);
    const ints = Int32Array.from({ length: 2 * 3 * 4 }, () => Math.floor((random() - 0.5) * 2 ** 24));
    const bools = Uint8Array.from(ints, (v) => v & 1);
    for (const [data, dtype] of [
      [ints, 'int32'],
      [bools, 'bool'],
    ] as const) {
      const tile = (name: string): Float32Array => runOpOn(name, () => tf.cast(tf.tile(tf.tensor(data, [2, 3, 4], dtype), [3, 1, 2]), 'float32'));
      expectClose(tile(backend), tile('cpu'), 0);
    }
  });
});

test('collapses a tile to the fewest axes that copy the same way', () => {
  expect(collapseTile([1, 1, 1, 16], [128, 56, 56, 1])).toEqual([{ size: 16, reps: 401408 }]);
  expect(collapseTile([3, 4, 1, 5], [2, 1, 1, 3])).toEqual([
    { size: 12, reps: 2 },
    { size: 5, reps: 3 },
  ]);
  expect(collapseTile([], [])).toEqual([{ size: 1, reps: 1 }]);
});
