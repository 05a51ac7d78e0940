import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { openCuda } from '../../src/backends/cuda.js';
import { OPENERS, selectBackend } from '../../src/backends/select.js';
import type { ActiveBackend, BackendName, BackendOpener } from '../../src/backends/types.js';
import { UserError } from '../../src/util/user_error.js';

const fake =
  (name: BackendName): BackendOpener =>
  async () =>
    ({ name, tfjsName: name, detail: `fake ${name}`, threads: 1, close: async () => {} }) satisfies ActiveBackend;
const refusing =
  (why: string): BackendOpener =>
  async () => {
    throw new UserError(why);
  };

describe('backend selection', () => {
  test('auto skips cuda with its reason and picks wasm, in one line', async () => {
    const openers = { ...OPENERS, cuda: refusing('no usable GPU'), wasm: fake('wasm') };
    const { backend, line } = await selectBackend('auto', { threads: 2 }, openers);
    expect(backend.name).toBe('wasm');
    expect(line).toBe('backend: wasm (fake wasm), chosen by auto; skipped cuda: no usable GPU');
  });

  test('auto takes cuda when it starts', async () => {
    const openers = { ...OPENERS, cuda: fake('cuda'), wasm: fake('wasm') };
    expect((await selectBackend('auto', { threads: 2 }, openers)).backend.name).toBe('cuda');
  });

  test('auto fails with every reason when nothing starts', async () => {
    const openers = { ...OPENERS, cuda: refusing('no GPU'), wasm: refusing('no WebAssembly') };
    await expect(selectBackend('auto', { threads: 1 }, openers)).rejects.toThrow('no backend could start (cuda: no GPU; wasm: no WebAssembly)');
  });

  test('an explicitly requested backend that cannot start is an error naming it', async () => {
    const openers = { ...OPENERS, cuda: refusing('no usable GPU') };
    await expect(selectBackend('cuda', { threads: 1 }, openers)).rejects.toThrow(/^backend cuda cannot start: no usable GPU$/);
  });

  test('on this machine (no GPU, no tfjs-node-gpu) the real cuda opener refuses with a reason', async () => {
    await expect(openCuda()).rejects.toBeInstanceOf(UserError);
    await expect(openCuda()).rejects.toThrow(/tfjs-node-gpu/);
  });

  test('tfjs-node-gpu that loads but computes on the CPU is not counted as CUDA', async () => {
    const load = async () => {
      // What the package does when libcudart is missing: registers "tensorflow", running on the CPU.
      tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { isUsingGpuDevice: false }));
    };
    try {
      await expect(openCuda(load)).rejects.toThrow(/no usable GPU/);
    } finally {
      tf.removeBackend('tensorflow');
    }
  });

  test('tfjs-node-gpu on a real GPU is taken as CUDA', async () => {
    const load = async () => {
      tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { isUsingGpuDevice: true }));
    };
    try {
      const backend = await openCuda(load);
      expect(backend.name).toBe('cuda');
      expect(tf.getBackend()).toBe('tensorflow');
    } finally {
      tf.removeBackend('tensorflow');
    }
  });

  test('wasm and the stock tfjs-wasm start side by side under different tfjs names', async () => {
    const ours = await selectBackend('wasm', { threads: 1 });
    expect(tf.getBackend()).toBe(ours.backend.tfjsName);
    const stock = await selectBackend('tfjs-wasm', { threads: 1 });
    expect(tf.getBackend()).toBe('wasm');
    expect(ours.backend.tfjsName).not.toBe(stock.backend.tfjsName);
    expect(tf.getKernel('Conv2DBackpropFilter', ours.backend.tfjsName)).toBeDefined();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
  });
});

describe('switching between our wasm backend and the stock one', () => {
  // Stock kernels bind their WebAssembly functions at setup; tfjs re-runs every setup on each switch,
  // which keeps the kernels our backend borrows bound to the module of the backend in use.
  test('stock kernels reused by our backend (Sub here) still compute correctly after the stock backend started', async () => {
    // Different values each time: both modules allocate alike, so equal values would sit at equal offsets.
    const sub = (base: number) => Array.from(tf.sub(tf.tensor1d([base + 1, 2 * base + 4]), tf.tensor1d([0, 2])).dataSync());
    await selectBackend('wasm', { threads: 1 });
    expect(sub(10)).toEqual([11, 22]);
    await selectBackend('tfjs-wasm', { threads: 1 });
    expect(sub(100)).toEqual([101, 202]);
    await selectBackend('wasm', { threads: 1 });
    expect(sub(1000)).toEqual([1001, 2002]);
    const ours = await selectBackend('wasm', { threads: 1 });
    await ours.backend.close();
  });
});
