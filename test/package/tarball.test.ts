// The tarball `npm pack` makes is the product: installed into an empty project beside tfjs, it must train a
// tfjs-layers model through plain `model.fit` under plain node, type-check for a TypeScript user, and run its CLI.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '../..');
const project = mkdtempSync(join(tmpdir(), 'alnum-package-'));
const TFJS = '4.22.0';

/** Runs a command to its end and returns its stdout; a failure's message carries what it printed. */
function run(command: string, args: string[], cwd: string, timeout = 600_000): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    // tfjs-backend-wasm's Emscripten glue prints its whole source line with an uncaught error: keep the ends.
    const tail = (text = ''): string => (text.length > 4000 ? `...${text.slice(-4000)}` : text);
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${tail(stdout)}\n${tail(stderr)}`);
  }
}

const npm = (args: string[], cwd: string): string => run('npm', args, cwd);

const TRAIN_SCRIPT = `
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useTrainingBackend } from 'alnum-train';
import { adam, momentum } from 'alnum-train/optimizers';

const backend = await useTrainingBackend({ threads: 2 });
const model = tfl.sequential({ layers: [
  tfl.layers.dense({ inputShape: [20], units: 16, activation: 'relu', kernelInitializer: 'glorotUniform' }),
  tfl.layers.dense({ units: 3, activation: 'softmax' }),
] });
model.compile({ optimizer: tf.train.rmsprop(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
// Three separable classes: the class of a row is where its largest of the first three features is.
const n = 96;
const x = tf.tidy(() => tf.randomUniform([n, 20], 0, 1, 'float32', 7));
const y = tf.tidy(() => tf.cast(tf.oneHot(tf.argMax(tf.slice(x, [0, 0], [n, 3]), 1), 3), 'float32'));
const history = await model.fit(x, y, { epochs: 8, batchSize: 32, shuffle: false, verbose: 0 });
// The package's fused optimizers, on the same model and data.
const fused = [];
for (const optimizer of [adam(0.01), momentum(0.05, 0.9, true)]) {
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  fused.push((await model.fit(x, y, { epochs: 2, batchSize: 32, shuffle: false, verbose: 0 })).history.loss.at(-1));
}
console.log(JSON.stringify({ name: backend.name, threads: backend.threads, current: tf.getBackend(), loss: history.history.loss, fused }));
await backend.close();
`;

const TYPED_USE = `
import { type TrainingBackend, useTrainingBackend } from 'alnum-train';
const backend: TrainingBackend = await useTrainingBackend({ threads: 2 });
const name: string = backend.name;
const threads: number = backend.threads;
await backend.close();
export const summary = name + ' on ' + String(threads) + ' threads';
// @ts-expect-error threads is a number
await useTrainingBackend({ threads: 'two' });
`;

// The optimizers' types are tfjs's classes, so checking them checks tfjs-core's types too: those need the DOM
// library and @types/long (installed with tfjs-core), as in any TypeScript program that uses tfjs's types.
const TYPED_OPTIMIZERS = `
import type * as tf from '@tensorflow/tfjs-core';
import { adam, momentum } from 'alnum-train/optimizers';
const optimizers: [tf.AdamOptimizer, tf.AdamOptimizer, tf.MomentumOptimizer] = [adam(), adam(0.01, 0.9, 0.999, 1e-7), momentum(0.01, 0.9, true)];
const base: tf.Optimizer[] = optimizers;
base.forEach((o) => o.dispose());
// @ts-expect-error momentum needs its momentum
momentum(0.01);
`;

beforeAll(() => {
  if (!existsSync(join(root, 'dist/src/index.js'))) throw new Error('dist/ is missing: npm install (or npm run build) builds it');
  // The build already ran at npm install; packing again without scripts packs exactly what was tested here.
  npm(['pack', '--ignore-scripts', '--pack-destination', project], root);
  const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball into ${project}`);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  npm(
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      `./${tarball}`,
      `@tensorflow/tfjs-core@${TFJS}`,
      `@tensorflow/tfjs-backend-wasm@${TFJS}`,
      `@tensorflow/tfjs-layers@${TFJS}`,
      'typescript@5.9.3',
      '@types/node@20.19.43',
    ],
    project,
  );
}, 900_000);

// Removing the installed project (tfjs, TypeScript, the canvas and HDF5 packages) took over 10 s on a busy machine.
afterAll(() => rmSync(project, { recursive: true, force: true }), 300_000);

describe('the packed tarball, installed in an empty project beside tfjs', () => {
  test('ships the built JavaScript and the kernels, not the sources', () => {
    const installed = join(project, 'node_modules/alnum-train');
    expect(existsSync(join(installed, 'dist/src/index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist/src/index.d.ts'))).toBe(true);
    expect(readdirSync(join(installed, 'dist/src/kernels/build')).sort()).toEqual(['kernels_relaxed.wasm', 'kernels_simd.wasm']);
    expect(existsSync(join(installed, 'dist/workers/kernel_thread.js'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
  });

  test('trains a tfjs-layers model through plain model.fit under plain node, on our backend, and exits by itself', () => {
    writeFileSync(join(project, 'train.mjs'), TRAIN_SCRIPT);
    const out = run(process.execPath, ['train.mjs'], project, 120_000);
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as { name: string; threads: number; current: string; loss: number[]; fused: number[] };
    expect(result).toMatchObject({ name: 'alnum-wasm', threads: 2, current: 'alnum-wasm' });
    expect(result.loss).toHaveLength(8);
    for (const loss of result.loss) expect(Number.isFinite(loss)).toBe(true);
    expect(result.loss.at(-1)!).toBeLessThan(result.loss[0]! * 0.9);
    expect(result.fused).toHaveLength(2);
    for (const loss of result.fused) expect(Number.isFinite(loss)).toBe(true);
  });

  // Every library declaration checked (no skipLibCheck); `--types node` keeps out @types packages that tfjs
  // pulls in and that compile only with the DOM's WebGL types.
  test("type-checks for a TypeScript user, with and without the DOM's WebAssembly types", () => {
    writeFileSync(join(project, 'use.ts'), TYPED_USE);
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    for (const lib of ['es2022', 'es2022,dom']) {
      const args = ['--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', '--lib', lib, '--types', 'node', 'use.ts'];
      run(process.execPath, [tsc, ...args], project);
    }
  });

  test("its optimizers entry type-checks with the libraries tfjs-core's own types need", () => {
    writeFileSync(join(project, 'optimizers.ts'), TYPED_OPTIMIZERS);
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom', '--types', 'node,long', 'optimizers.ts'];
    run(process.execPath, [tsc, ...args], project);
  });

  test('runs its CLI from the bin entry', () => {
    const help = run(join(project, 'node_modules/.bin/alnum-train'), ['--help'], project);
    expect(help).toContain('--backend=NAME');
  });
});
