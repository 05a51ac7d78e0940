import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { brightness, decodePngFile } from '../report/png_support.js';

const fixture = (name: string) => join('test/fixtures/pickles', name);

/** Runs `npm run preview`'s script as a user would, into a fresh folder. */
function preview(...args: string[]) {
  const out = join(mkdtempSync(join(tmpdir(), 'preview-cli-')), 'preview.png');
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/preview.ts', `--out=${out}`, ...args], { encoding: 'utf8' });
  return { ...result, out };
}

/** Share of a picture's pixels that are nearly black: the images' background, absent from the white page. */
async function darkShare(path: string): Promise<number> {
  const image = await decodePngFile(path);
  let dark = 0;
  let all = 0;
  for (let y = 0; y < image.height; y += 3) {
    for (let x = 0; x < image.width; x += 3) {
      all++;
      if (brightness(image.rgb(x, y)) < 60) dark++;
    }
  }
  return dark / all;
}

describe('npm run preview', () => {
  test('draws random samples of the built-in data set in a rows x cols grid', async () => {
    const run = preview('--data=synthetic', '--rows=2', '--cols=3', '--seed=5');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^saved .*preview\.png: 6 of 360 images, labelled( [0-9A-Z]){6}\n$/);
    const image = await decodePngFile(run.out);
    // Three columns and two rows of 168-pixel images, with captions and a title.
    expect(image.width).toBeGreaterThanOrEqual(3 * 168);
    expect(image.height).toBeGreaterThanOrEqual(2 * 168);
    expect(image.height).toBeLessThan(3 * 168);
    expect(image.rgb(1, 1)).toEqual([255, 255, 255]);
    expect(await darkShare(run.out)).toBeGreaterThan(0.3);
  });

  test('draws the images of a pickle with their labels as characters', async () => {
    // The fixture holds 4 images labelled 0, 5, 26 and 35.
    const run = preview(`--data=${fixture('p4_dict_u1_56x56x1_onehot.pkl')}`);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const shown = /4 of 4 images, labelled (.*)\n/.exec(run.stdout)?.[1]?.split(' ');
    expect(shown?.sort()).toEqual(['0', '5', 'Q', 'Z']);
    const image = await decodePngFile(run.out);
    expect(image.width).toBeGreaterThanOrEqual(4 * 168);
    expect(image.height).toBeLessThan(2 * 168);
  });

  test.each([
    ['a missing file', 'no/such/train.pkl', /no\/such\/train\.pkl/],
    ['a truncated pickle', fixture('truncated_half_p4.pkl'), /truncated_half_p4\.pkl/],
    ['a hostile pickle', fixture('hostile_os_system_p2.pkl'), /hostile_os_system_p2\.pkl/],
  ])('%s: one line naming the file, exit 1, no picture', (_, path, message) => {
    const run = preview(`--data=${path}`);
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message);
    expect(existsSync(run.out)).toBe(false);
  });

  test.each([
    [['--rows=0'], 'error: --rows must be a whole number from 1 to 20, not "0"'],
    [['--cols=x'], 'error: --cols must be a whole number from 1 to 20, not "x"'],
    [['--colour=red'], /^error: Unknown option '--colour'.*\(see --help\)$/],
    [[`--data=${fixture('p4_dict_u1_56x56x1_onehot.pkl')}`, '--samples=100'], 'error: --samples applies only to the built-in data set (--data=synthetic)'],
  ])('bad flags %j exit 2 with one line', (args, message) => {
    const run = preview(...args);
    expect(run.status).toBe(2);
    if (typeof message === 'string') expect(run.stderr.trim()).toBe(message);
    else expect(run.stderr.trim()).toMatch(message);
    expect(existsSync(run.out)).toBe(false);
  });

  test('--help prints the usage and writes nothing', () => {
    const run = preview('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: npm run preview -- [options]');
    expect(run.stdout).toContain('--rows=N');
    expect(existsSync(run.out)).toBe(false);
  });
});
