// Interrupting `npm run train` and resuming it, in child processes as a user would: a run interrupted
// (twice, once in each network) and resumed ends with the same report metrics and weights as a run never
// interrupted. The hidden test hook ALNUM_INTERRUPT_AFTER_BATCHES sends the process SIGINT after N batches.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Report } from '../../src/train/report.js';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the train script; `onStdout` sees its output as it comes, with the child to signal. */
function train(args: string[], env: Record<string, string> = {}, onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const tempRun = (): string => join(mkdtempSync(join(tmpdir(), 'train-resume-')), 'run');
const readReport = (out: string): Report => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

/** A report's results without its timings and dates, which no two runs share. */
function results(report: Report): unknown {
  return {
    errorReduction: report.errorReduction,
    models: Object.fromEntries(
      Object.entries(report.models).map(([name, m]) => [
        name,
        {
          history: m.history.map(({ epoch, loss, acc, val_loss, val_acc }) => ({ epoch, loss, acc, val_loss, val_acc })),
          test: m.test,
          stoppedEarly: m.stoppedEarly,
        },
      ]),
    ),
  };
}

const SETTINGS = ['--data=synthetic', '--samples=720', '--epochs=3', '--patience=1', '--backend=wasm', '--threads=2'];
const INTERRUPTED = /^interrupted: checkpoint saved in (\S+); resume with: npm run train -- --resume=(\S+)$/;

describe('an interrupted and resumed run', () => {
  test('ends with the report and weights of an uninterrupted one', async () => {
    const whole = tempRun();
    const reference = await train([...SETTINGS, `--out=${whole}`]);
    expect(reference.stderr).toBe('');
    expect(reference.status).toBe(0);
    expect(existsSync(join(whole, 'checkpoint')), 'a complete run deletes its checkpoint').toBe(false);
    // 576 training samples: 5 batches per epoch; if early stopping ends a network sooner, the hook still falls in training.
    const fcBatches = readReport(whole).models.fc!.history.length * 5;

    const out = tempRun();
    // SIGINT in the FC net's second epoch, between batches 2 and 3.
    const first = await train([...SETTINGS, `--out=${out}`], { ALNUM_INTERRUPT_AFTER_BATCHES: '7' });
    expect(first.status).toBe(130);
    expect(first.stderr.trim()).toMatch(INTERRUPTED);
    expect(first.stderr.trim().match(INTERRUPTED)?.[2]).toBe(out);
    const checkpoint = JSON.parse(readFileSync(join(out, 'checkpoint', 'checkpoint.json'), 'utf8'));
    expect(checkpoint.current).toMatchObject({ name: 'fc', fit: { epoch: 2, done: 256 } });
    expect(existsSync(join(out, 'fc')) || existsSync(join(out, 'report.json'))).toBe(false);

    // Resumed with no settings, then interrupted again three batches into the CNN.
    const second = await train([`--resume=${out}`], { ALNUM_INTERRUPT_AFTER_BATCHES: String(fcBatches - 7 + 3) });
    expect(second.status).toBe(130);
    expect(second.stdout).toMatch(/resuming at epoch 2, after 256 of its 576 samples/);
    expect(existsSync(join(out, 'fc', 'weights.bin'))).toBe(true);
    const again = JSON.parse(readFileSync(join(out, 'checkpoint', 'checkpoint.json'), 'utf8'));
    expect(Object.keys(again.finished)).toEqual(['fc']);
    expect(again.current).toMatchObject({ name: 'cnn', fit: { epoch: 1, done: 384 } });

    const third = await train([`--resume=${out}`]);
    expect(third.stderr).toBe('');
    expect(third.status).toBe(0);
    expect(results(readReport(out))).toEqual(results(readReport(whole)));
    for (const name of ['fc', 'cnn']) {
      expect(readFileSync(join(out, name, 'weights.bin')).equals(readFileSync(join(whole, name, 'weights.bin'))), name).toBe(true);
    }
    expect(existsSync(join(out, 'checkpoint'))).toBe(false);
  }, 900_000);
});

describe('refusals', () => {
  test('--resume with a setting is a usage error naming it', async () => {
    const run = await train(['--resume=runs/x', '--epochs=5', '--seed=1']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('error: --resume continues with the settings the run began with; drop --epochs, --seed');
  });

  test('--resume of a folder without a checkpoint is one line, exit 1', async () => {
    const out = tempRun();
    const run = await train([`--resume=${out}`]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `error: ${out} has no checkpoint to resume from (no ${join(out, 'checkpoint', 'checkpoint.json')}; a completed run deletes its checkpoint)`,
    );
  });
});

describe('a signal before training', () => {
  test('SIGTERM while the data is generated exits 143 with one line and writes nothing', async () => {
    const out = tempRun();
    // A seed no other test uses, so the data is generated rather than read from the cache.
    const seed = String(100_000 + Math.floor(Math.random() * 100_000));
    let sent = false;
    const run = await train(['--data=synthetic', '--samples=30000', `--seed=${seed}`, '--backend=cpu', `--out=${out}`], {}, (text, child) => {
      if (!sent && text.includes('backend: cpu')) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    expect(run.status).toBe(143);
    expect(run.stderr.trim()).toBe('interrupted by SIGTERM before training began; nothing was written');
    expect(existsSync(out)).toBe(false);
  });
});
