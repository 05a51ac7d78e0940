import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

/** Runs `npm run train`'s script with the colour variables as given and none inherited. */
function train(env: NodeJS.ProcessEnv, ...args: string[]) {
  const out = join(mkdtempSync(join(tmpdir(), 'train-output-')), 'run');
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...inherited } = process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', `--out=${out}`, ...args], {
    encoding: 'utf8',
    env: { ...inherited, ...env },
  });
  return { ...result, out };
}

describe('npm run train -- --json', () => {
  test('a real run prints nothing but JSON lines on stdout, carrying what report.json holds', () => {
    const run = train({}, '--json', '--data=synthetic', '--samples=720', '--epochs=1', '--backend=cpu', '--model=fc');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((e) => e.event)).toEqual(['backend', 'data', 'preprocessed', 'model', 'epoch', 'test', 'saved']);

    const report = JSON.parse(readFileSync(join(run.out, 'report.json'), 'utf8'));
    expect(events[0]).toMatchObject({ name: 'cpu', selection: report.backend.selection });
    expect(events[2]).toMatchObject({ images: 720, train: report.data.train, test: report.data.test });
    expect(events[4]).toEqual({ event: 'epoch', model: 'fc', epochs: 1, ...report.models.fc.history[0] });
    expect(events[4]!.loss).toBeGreaterThan(0);
    expect(events[5]).toEqual({ event: 'test', model: 'fc', ...report.models.fc.test, epochs: 1, stoppedEarly: false });
    expect(events[6]).toEqual({
      event: 'saved',
      out: run.out,
      models: { fc: join(run.out, 'fc') },
      report: join(run.out, 'report.json'),
      keras: { fc: join(run.out, 'fc.h5') },
      pictures: ['fc_curves.png', 'fc_confusion.png', 'fc_misclassified.png'].map((f) => join(run.out, f)),
      page: join(run.out, 'report.md'),
    });
    for (const file of ['fc/model.json', 'fc.h5', 'report.md']) expect(existsSync(join(run.out, file)), file).toBe(true);
  });

  test('with --quiet is a usage error, before anything runs', () => {
    const run = train({}, '--json', '--quiet');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('error: --quiet and --json cannot be used together: --json already prints nothing but JSON lines\n');
    expect(existsSync(run.out)).toBe(false);
  });
});

describe('error colour', () => {
  test.each([
    [{}, [], 'error: '],
    [{ FORCE_COLOR: '1' }, [], '\x1b[31merror:\x1b[39m '],
    [{ FORCE_COLOR: '1' }, ['--no-color'], 'error: '],
    [{ NO_COLOR: '1' }, [], 'error: '],
  ])('env %j, flags %j: stderr starts with %j', (env, flags, start) => {
    const run = train(env, '--epochs=zero', ...flags);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`${start}--epochs must be a whole number of at least 1, not "zero"\n`);
  });
});
