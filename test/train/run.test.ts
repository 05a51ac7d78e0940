import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/train/config.js';
import { TRAIN_EVENT_FIELDS, type TrainEvent } from '../../src/train/events.js';
import type { Report } from '../../src/train/report.js';
import { type RunOptions, runTraining } from '../../src/train/run.js';
import { UserError } from '../../src/util/user_error.js';

// A run called in-process, as another program would: the events it tells, the report it returns, and where
// it stops when aborted. The data set is the tiny built-in one other tests use too, so it comes from the cache.

const scratch = mkdtempSync(join(tmpdir(), 'run-training-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let runs = 0;
const tempOut = (): string => join(scratch, `run-${runs++}`);

/** The FC net for one epoch on 720 built-in images (576 to train on: 5 batches), on our backend with two threads. */
const settings = (out: string, changes: Partial<TrainConfig> = {}): TrainConfig => ({
  ...DEFAULT_CONFIG,
  backend: 'wasm',
  threads: 2,
  models: ['fc'],
  data: 'synthetic',
  samples: 720,
  epochs: 1,
  out,
  ...changes,
});

/** Runs training and keeps every event it tells. */
async function run(config: TrainConfig, options: Partial<RunOptions> = {}) {
  const events: TrainEvent[] = [];
  const outcome = await runTraining(config, { ...options, events: (e) => events.push(e) });
  return { outcome, events };
}

/** A report's results without its timings and dates, which no two runs share. */
function results(report: Report): unknown {
  return Object.fromEntries(
    Object.entries(report.models).map(([name, m]) => [
      name,
      {
        history: m.history.map(({ epoch, loss, acc, val_loss, val_acc }) => ({ epoch, loss, acc, val_loss, val_acc })),
        test: m.test,
        stoppedEarly: m.stoppedEarly,
      },
    ]),
  );
}

describe('runTraining', () => {
  let whole: Report | undefined;

  test('tells its events in order, each with the fields TRAIN_EVENT_FIELDS lists, and returns the report it wrote', async () => {
    const out = tempOut();
    const logged: string[] = [];
    const { outcome, events } = await run(settings(out), { log: (line) => logged.push(line) });
    expect(outcome.status).toBe('completed');
    if (outcome.status !== 'completed') return;
    expect(outcome.out).toBe(out);
    expect(events.map((e) => e.event)).toEqual(['backend', 'data', 'preprocessed', 'model', 'epoch', 'test', 'saved']);
    for (const e of events) expect(Object.keys(e).sort(), e.event).toEqual(['event', ...TRAIN_EVENT_FIELDS[e.event]].sort());
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(outcome.report)));
    expect(events[4]).toMatchObject({ event: 'epoch', model: 'fc', epochs: 1, ...outcome.report.models.fc!.history[0] });
    expect(logged).toContain(`Test accuracy: ${(outcome.report.models.fc!.test.acc * 100).toFixed(2)} %`);
    expect(existsSync(join(out, 'checkpoint'))).toBe(false);
    whole = outcome.report;
  });

  test('aborted before it starts: cancelled, having told only which backend started, with nothing written', async () => {
    const out = tempOut();
    const { outcome, events } = await run(settings(out), { signal: AbortSignal.abort() });
    expect(outcome).toEqual({ status: 'cancelled' });
    expect(events.map((e) => e.event)).toEqual(['backend']);
    expect(existsSync(out)).toBe(false);
  });

  test('aborted once the data is loaded: cancelled before preprocessing, with nothing written', async () => {
    const out = tempOut();
    const controller = new AbortController();
    const events: TrainEvent[] = [];
    const outcome = await runTraining(settings(out), {
      signal: controller.signal,
      events(e) {
        events.push(e);
        if (e.event === 'data') controller.abort();
      },
    });
    expect(outcome).toEqual({ status: 'cancelled' });
    expect(events.map((e) => e.event)).toEqual(['backend', 'data']);
    expect(existsSync(out)).toBe(false);
  });

  test('aborted during training: interrupted after saving a checkpoint, which a resume completes with the same results', async () => {
    const out = tempOut();
    const controller = new AbortController();
    let batches = 0;
    const { outcome, events } = await run(settings(out), { signal: controller.signal, afterBatch: () => void (++batches === 2 && controller.abort()) });
    expect(outcome).toEqual({ status: 'interrupted', out, checkpointDir: join(out, 'checkpoint') });
    expect(events.map((e) => e.event)).toEqual(['backend', 'data', 'preprocessed', 'model']);
    const checkpoint = JSON.parse(readFileSync(join(out, 'checkpoint', 'checkpoint.json'), 'utf8'));
    expect(checkpoint.current).toMatchObject({ name: 'fc', fit: { epoch: 1, done: 256 } });
    expect(existsSync(join(out, 'report.json'))).toBe(false);

    const logged: string[] = [];
    const resumed = await run({ ...DEFAULT_CONFIG, resume: out }, { log: (line) => logged.push(line) });
    expect(logged).toContain('resuming at epoch 1, after 256 of its 576 samples');
    expect(resumed.outcome.status).toBe('completed');
    if (resumed.outcome.status !== 'completed' || whole === undefined) throw new Error('the uninterrupted run did not complete');
    expect(results(resumed.outcome.report)).toEqual(results(whole));
    expect(existsSync(join(out, 'checkpoint'))).toBe(false);
  });

  test('diverging: a UserError naming the model, epoch and batch; the checkpoint is kept and no model saved', async () => {
    const out = tempOut();
    const failure = await run(settings(out, { epochs: 2, learningRate: 1e30 })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).exitCode).toBe(1);
    expect((failure as UserError).message).toMatch(
      /^fc: (loss became (NaN|-?Infinity)|the weights became NaN or infinite) at epoch 1 batch \d+; the last good checkpoint is in \S+checkpoint$/,
    );
    expect(existsSync(join(out, 'checkpoint', 'checkpoint.json'))).toBe(true);
    expect(existsSync(join(out, 'fc'))).toBe(false);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
  });
});
