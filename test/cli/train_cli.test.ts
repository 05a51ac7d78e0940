import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const fixture = (name: string) => join('test/fixtures/pickles', name);

/** Runs `npm run train`'s script as a user would, capturing everything it prints. */
function train(...args: string[]) {
  const out = join(mkdtempSync(join(tmpdir(), 'train-cli-')), 'run');
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', `--out=${out}`, ...args], { encoding: 'utf8' });
  return { ...result, out };
}

describe('npm run train on bad input', () => {
  test.each([
    ['a missing file', 'no/such/train.pkl', /no\/such\/train\.pkl/],
    ['a hostile pickle', fixture('hostile_os_system_p2.pkl'), /hostile_os_system_p2\.pkl.*(posix|os)\.system/],
    ['a truncated pickle', fixture('truncated_half_p4.pkl'), /truncated_half_p4\.pkl/],
    ['labels out of range', fixture('label_36.pkl'), /label_36\.pkl.*36/],
    ['images that are not 56x56', fixture('image_28x28.pkl'), /image_28x28\.pkl.*28/],
    ['NaN pixels', fixture('pixels_nan.pkl'), /pixels_nan\.pkl.*NaN/i],
    ['an empty set', fixture('empty_arrays_p5.pkl'), /empty_arrays_p5\.pkl/],
  ])('%s: one line naming the file, exit 1, nothing written', (_, path, message) => {
    const run = train(`--data=${path}`, '--backend=cpu');
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(run.out)).toBe(false);
  });

  test('a folder given as data is refused the same way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-cli-dir-'));
    mkdirSync(join(dir, 'x.pkl'));
    const run = train(`--data=${join(dir, 'x.pkl')}`);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a bad flag exits 2 with one line', () => {
    const run = train('--epochs=zero');
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('error: --epochs must be a whole number of at least 1, not "zero"');
  });

  test('an explicitly requested backend that cannot start is an error', () => {
    const run = train('--backend=cuda', `--data=${fixture('p4_float32_unit.pkl')}`);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^error: backend cuda cannot start: /);
    expect(existsSync(run.out)).toBe(false);
  });
});

describe('npm run train on a good pickle', () => {
  test('trains, evaluates and saves both models and the report', () => {
    const run = train(`--data=${fixture('p4_dict_u1_56x56x1_onehot.pkl')}`, '--backend=cpu', '--epochs=1', '--test-split=0.5', '--batch-size=2');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Epoch 1\/1 - .* - val_acc: /);
    expect(run.stdout).toMatch(/Error reduction: -?\d+\.\d\d %/);
    const pictures = ['fc', 'cnn'].flatMap((m) => [`${m}_curves.png`, `${m}_confusion.png`]);
    for (const f of ['report.json', 'report.md', 'fc/model.json', 'fc/weights.bin', 'cnn/model.json', 'cnn/weights.bin', 'fc.h5', 'cnn.h5', ...pictures]) {
      expect(existsSync(join(run.out, f)), f).toBe(true);
    }
  });
});

describe('npm run train on too little data', () => {
  test('a set too small to split is one clear line, not a crash', () => {
    const run = train(`--data=${fixture('p4_float32_unit.pkl')}`, '--backend=cpu');
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^error: .*p4_float32_unit\.pkl has \d+ images?: too few to hold out a test split/);
  });
});
