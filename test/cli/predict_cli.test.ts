import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { CLASS_CHARS, PIXELS } from '../../src/data/dataset.js';
import { loadPickle } from '../../src/data/pickle.js';
import { buildModel } from '../../src/models/registry.js';
import { classProbabilities, topK } from '../../src/predict/classify.js';
import { loadCharacterImage } from '../../src/predict/image_input.js';
import { loadTrained } from '../../src/predict/load_trained.js';
import { saveModel } from '../../src/train/model_files.js';

const dir = mkdtempSync(join(tmpdir(), 'predict-cli-'));
const models = { fc: join(dir, 'fc'), cnn: join(dir, 'cnn') };
const png = join(dir, 'L.png');
const pickle = join('test/fixtures/pickles', 'p4_dict_u1_56x56x1_onehot.pkl');

beforeAll(async () => {
  await tf.setBackend('cpu');
  // Seeded initial weights stand in for trained ones: what matters is that the CLI's answers are this model's.
  await saveModel(buildModel('fc', 3), models.fc);
  await saveModel(buildModel('cnn', 4), models.cnn);
  const canvas = createCanvas(100, 120);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 100, 120);
  ctx.fillStyle = '#000';
  ctx.fillRect(30, 20, 12, 80);
  ctx.fillRect(30, 88, 40, 12);
  writeFileSync(png, await canvas.encode('png'));
});

/** Runs `npm run predict`'s script as a user would. */
function predict(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/predict.ts', ...args], { encoding: 'utf8' });
}

const percent = (p: number): string => `${(p * 100).toFixed(2)}%`;

describe('npm run predict', () => {
  test.each(['fc', 'cnn'] as const)('an image through the %s model prints the predicted character and the top 3', async (name) => {
    const run = predict(`--model=${models[name]}`, `--input=${png}`, '--backend=cpu');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const network = await loadTrained(models[name]);
    expect(network.input).toBe(name === 'cnn' ? 'images' : 'flat');
    const top = topK(classProbabilities(network, await loadCharacterImage(png), 1)[0]!, 3);
    const lines = run.stdout.trim().split('\n').slice(-4);
    expect(lines[0]).toBe(`predicted: ${top[0]!.char}`);
    lines.slice(1).forEach((line, i) => {
      expect(line.trim().split(/\s+/)).toEqual([`${i + 1}.`, top[i]!.char, percent(top[i]!.probability)]);
    });
  });

  test('a pickle prints one line per sample and the accuracy over them', async () => {
    const run = predict(`--model=${models.fc}`, `--input=${pickle}`, '--backend=cpu');
    expect(run.status).toBe(0);
    const raw = await loadPickle(pickle);
    const images = Float32Array.from(raw.pixels.subarray(0, raw.count * PIXELS), (v) => v / 255);
    const rows = classProbabilities(await loadTrained(models.fc), images, raw.count);
    const predicted = rows.map((p) => topK(p, 1)[0]!.char);
    const correct = predicted.filter((c, i) => c === CLASS_CHARS[raw.labels[i]!]).length;
    const lines = run.stdout.trim().split('\n');
    const samples = lines.filter((l) => /^\s*\d+\s/.test(l));
    expect(samples.map((l) => l.trim().split(/\s+/)[1])).toEqual(predicted);
    expect(samples.map((l) => l.trim().split(/\s+/)[4])).toEqual(Array.from(raw.labels, (c) => CLASS_CHARS[c]));
    expect(lines.at(-1)).toBe(`accuracy: ${percent(correct / raw.count)} (${correct}/${raw.count} samples)`);
  });

  test('--limit=N predicts only the first N samples of a pickle', () => {
    const run = predict(`--model=${models.cnn}`, `--input=${pickle}`, '--backend=cpu', '--limit=2');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((l) => /^\s*\d+\s/.test(l))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^accuracy: \d+\.\d\d% \(\d\/2 samples \(first 2 of \d+\)\)$/);
  });
});

describe('npm run predict on bad input', () => {
  const notImage = join(dir, 'broken.png');
  const empty = join(dir, 'empty-folder');
  const otherShape = join(dir, 'other-shape');

  beforeAll(async () => {
    // A PNG signature followed by junk: sniffed as an image, refused by the decoder.
    writeFileSync(notImage, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really')]));
    mkdirSync(empty);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 36, inputShape: [10], activation: 'softmax' })] });
    await saveModel(model, otherShape);
  });

  test.each([
    ['a missing model folder', [`--model=${join(dir, 'nope')}`, `--input=${png}`], /nope is not a model folder/],
    ['a folder without model.json', [`--model=${empty}`, `--input=${png}`], /empty-folder has no model\.json/],
    [
      'a model with another input shape',
      [`--model=${otherShape}`, `--input=${png}`],
      /other-shape holds a model taking input \[10\], not \[3136\] or \[56, 56, 1\]/,
    ],
    ['a file that cannot be decoded', [`--model=${models.fc}`, `--input=${notImage}`], /broken\.png cannot be read as a PNG or JPEG image/],
    ['a missing input', [`--model=${models.fc}`, `--input=${join(dir, 'none.png')}`], /none\.png cannot be read \(ENOENT\)/],
    ['a text file', [`--model=${models.fc}`, '--input=package.json'], /package\.json is neither a PNG or JPEG image nor a pickle/],
    ['a bad pickle', [`--model=${models.fc}`, '--input=test/fixtures/pickles/image_28x28.pkl'], /image_28x28\.pkl.*28/],
  ])('%s: one line naming it, exit 1', (_, args, message) => {
    const run = predict(...args, '--backend=cpu');
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message);
    expect(run.stdout).not.toMatch(/predicted|accuracy/);
  });

  test.each([
    [['--input=x.png'], 'error: --model=DIR is required (see --help)'],
    [[`--model=${models.fc}`], 'error: --input=PATH is required (see --help)'],
    [[`--model=${models.fc}`, `--input=${png}`, '--limit=0'], 'error: --limit must be a whole number of at least 1, not "0"'],
    [[`--model=${models.fc}`, `--input=${png}`, '--backend=gpu'], 'error: --backend must be one of auto, cuda, wasm, tfjs-wasm, cpu, not "gpu"'],
  ])('bad flags %j exit 2 with one line', (args, message) => {
    const run = predict(...args);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(message);
  });
});
