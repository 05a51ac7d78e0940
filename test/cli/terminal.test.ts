import { describe, expect, test } from 'vitest';
import { wantsColour } from '../../src/cli/colour.js';
import { createTerminal, decideOutput, type OutputFlags, type Terminal } from '../../src/cli/terminal.js';
import type { TrainEvent } from '../../src/train/events.js';
import type { EpochRecord } from '../../src/train/history.js';
import { reportEpoch } from '../../src/train/report.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character of ANSI colour codes is what these tests look for
const ANSI = /\x1b\[/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above, a whole colour code
const ANSI_COLOUR = /\x1b\[[0-9;]*m/;

/** A stream that keeps what is written to it. */
function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (text: string) => chunks.push(text), text: () => chunks.join('') };
}

function terminalFor(flags: Partial<OutputFlags>, tty: boolean, env: NodeJS.ProcessEnv = {}) {
  const stdout = fakeStream(tty);
  const stderr = fakeStream(tty);
  const mode = decideOutput({ quiet: false, json: false, noColor: false, ...flags }, stdout, stderr, env);
  return { mode, stdout, stderr, terminal: createTerminal(mode, { stdout, stderr }) };
}

const EPOCH_1: EpochRecord = {
  epoch: 1,
  loss: 1.2345,
  acc: 0.61,
  valLoss: 0.9876,
  valAcc: 0.72,
  seconds: 7.25,
  stepSeconds: 6.5,
  validationSeconds: 0.5,
  samplesPerSecond: 3325.1,
};
const EPOCH_2: EpochRecord = {
  epoch: 2,
  loss: 0.5432,
  acc: 0.83,
  valLoss: 0.4321,
  valAcc: 0.86,
  seconds: 7.5,
  stepSeconds: 6.7,
  validationSeconds: 0.5,
  samplesPerSecond: 3214.4,
};

/** A two-model run as `runTraining` tells it, with the narration `trainModel` logs. */
function playRun(t: Terminal): void {
  t.emit({ event: 'backend', name: 'wasm', tfjsName: 'alnum-wasm', threads: 2, detail: 'ours', selection: 'backend: wasm (ours), chosen by auto' });
  t.emit({ event: 'data', source: 'synthetic(samples=720, seed=42)', images: 720, seconds: 1.23 });
  t.emit({ event: 'preprocessed', images: 720, train: 576, test: 144, seconds: 0.21, imagesPerSecond: 3362.4, threads: 2 });
  t.emit({ event: 'warning', message: 'something to know' });
  for (const [model, acc] of [
    ['fc', 0.8583],
    ['cnn', 0.9545],
  ] as const) {
    t.emit({ event: 'model', model });
    t.log('Model: "sequential_1"');
    const progress = t.progress(model);
    for (const r of [EPOCH_1, EPOCH_2]) {
      for (let done = 128; done <= 576; done += 128) progress.batch(r.epoch, 30, Math.min(done, 576), 576, r.loss, r.acc, 1.5);
      progress.epoch(r, 30);
      t.emit({ event: 'epoch', model, epochs: 30, ...reportEpoch(r) });
    }
    t.log(`Test accuracy: ${(acc * 100).toFixed(2)} %`);
    t.emit({ event: 'test', model, loss: 0.375, acc, epochs: 2, stoppedEarly: false });
  }
  t.emit({ event: 'error_reduction', percent: 67.92 });
  t.emit({
    event: 'saved',
    out: 'runs/x',
    models: { fc: 'runs/x/fc', cnn: 'runs/x/cnn' },
    report: 'runs/x/report.json',
    keras: { fc: 'runs/x/fc.h5', cnn: 'runs/x/cnn.h5' },
    pictures: ['runs/x/fc_curves.png', 'runs/x/cnn_curves.png'],
    page: 'runs/x/report.md',
  });
}

describe('whether a stream gets colour', () => {
  test.each([
    // isTTY, env, --no-color, colour
    [true, {}, false, true],
    [false, {}, false, false],
    [true, { NO_COLOR: '1' }, false, false],
    [true, { NO_COLOR: '' }, false, true],
    [false, { NO_COLOR: '1' }, false, false],
    [false, { FORCE_COLOR: '1' }, false, true],
    [false, { FORCE_COLOR: '' }, false, true],
    [false, { FORCE_COLOR: 'true' }, false, true],
    [false, { FORCE_COLOR: '3' }, false, true],
    [true, { FORCE_COLOR: '0' }, false, false],
    [true, { FORCE_COLOR: 'false' }, false, false],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [true, { FORCE_COLOR: '1' }, true, false],
    [true, {}, true, false],
    [true, { TERM: 'dumb' }, false, false],
  ] as const)('tty=%s env=%j --no-color=%s -> %s', (isTTY, env, flag, colour) => {
    expect(wantsColour({ isTTY }, env, flag)).toBe(colour);
  });
});

describe('output mode', () => {
  test.each([
    // flags, stdout is a terminal, env, style, live bar, stdout colour
    [{}, true, {}, 'human', true, true],
    [{}, false, {}, 'human', false, false],
    [{}, true, { NO_COLOR: '1' }, 'human', true, false],
    [{}, false, { FORCE_COLOR: '1' }, 'human', false, true],
    [{ noColor: true }, true, {}, 'human', true, false],
    [{}, true, { TERM: 'dumb' }, 'human', false, false],
    [{ quiet: true }, true, {}, 'quiet', false, true],
    [{ quiet: true }, false, {}, 'quiet', false, false],
    [{ json: true }, true, {}, 'json', false, false],
    [{ json: true }, false, { FORCE_COLOR: '1' }, 'json', false, false],
  ] as const)('%j tty=%s env=%j -> %s, live %s, colour %s', (flags, tty, env, style, live, colour) => {
    const { mode } = terminalFor(flags, tty, env);
    expect(mode).toMatchObject({ style, live, colour });
  });

  test('errors get colour by stderr, also under --json', () => {
    const stdout = fakeStream(false);
    expect(decideOutput({ quiet: false, json: true, noColor: false }, stdout, fakeStream(true), {}).errorColour).toBe(true);
    expect(decideOutput({ quiet: false, json: true, noColor: false }, stdout, fakeStream(false), {}).errorColour).toBe(false);
  });
});

describe('human output', () => {
  test('piped: every line of the run, one per epoch, no escape codes and no carriage returns', () => {
    const { stdout, stderr, terminal } = terminalFor({}, false);
    playRun(terminal);
    const out = stdout.text();
    expect(out).not.toMatch(ANSI);
    expect(out).not.toContain('\r');
    expect(stderr.text()).toBe('warning: something to know\n');
    expect(out).toContain('backend: wasm (ours), chosen by auto\n');
    expect(out).toContain('data: synthetic(samples=720, seed=42), 720 images, ready in 1.2s\n');
    expect(out).toContain('split 720 images: 576 to train on, 144 to test on (0.21s)\n');
    expect(out).toContain('\n# Fully connected model\n');
    expect(out).toContain('\n# Convolution model\n');
    expect(out.match(/^Epoch \d\/30 - .* - val_acc: /gm)).toHaveLength(4);
    expect(out).toContain('Epoch 2/30 - 7.5s - 3214 samples/s - loss: 0.5432 - acc: 0.8300 - val_loss: 0.4321 - val_acc: 0.8600\n');
    expect(out).toContain('Test accuracy: 95.45 %\n');
    expect(out).toContain('\nError reduction: 67.92 %\n');
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      'saved runs/x/fc/, runs/x/cnn/, runs/x/fc.h5, runs/x/cnn.h5, runs/x/report.json, and 2 pictures with runs/x/report.md',
    );
  });

  test('on a terminal: a live bar, and colour on headings, results and warnings only', () => {
    const { stdout, stderr, terminal } = terminalFor({}, true);
    playRun(terminal);
    const out = stdout.text();
    expect(out).toContain('\r');
    expect(out).toMatch(/\rEpoch 1\/30 +128\/576 \[=+>\.+\] - ETA/);
    expect(out).toContain('\x1b[1m# Fully connected model\x1b[22m');
    expect(out).toContain('\x1b[1;32mTest accuracy: 85.83 %\x1b[39;22m');
    expect(out).toContain('\x1b[1;32mError reduction: 67.92 %\x1b[39;22m');
    expect(stderr.text()).toBe('\x1b[33mwarning:\x1b[39m something to know\n');
    const coloured = out.split('\n').filter((line) => ANSI_COLOUR.test(line));
    expect(coloured).toHaveLength(5);
  });

  test('NO_COLOR on a terminal keeps the live bar but drops the colour', () => {
    const { stdout, stderr, terminal } = terminalFor({}, true, { NO_COLOR: '1' });
    playRun(terminal);
    expect(stdout.text()).toContain('\r');
    expect(stdout.text()).not.toMatch(ANSI_COLOUR);
    expect(stderr.text()).not.toMatch(ANSI);
  });

  test('a generation counter only where it can redraw itself', () => {
    expect(terminalFor({}, false).terminal.generationProgress()).toBeUndefined();
    const { stdout, terminal } = terminalFor({}, true);
    const counter = terminal.generationProgress()!;
    counter(360, 720);
    counter(720, 720);
    expect(stdout.text()).toBe('\rgenerating the built-in data set: 360/720\rgenerating the built-in data set: 720/720\n');
  });
});

describe('--quiet', () => {
  test.each([false, true])('tty=%s: nothing per epoch, warnings on stderr, one closing line', (tty) => {
    const { stdout, stderr, terminal } = terminalFor({ quiet: true }, tty, { NO_COLOR: '1' });
    playRun(terminal);
    expect(terminal.generationProgress()).toBeUndefined();
    expect(stdout.text()).toBe('test accuracy fc 85.83 %, cnn 95.45 % (error reduction 67.92 %); saved in runs/x\n');
    expect(stderr.text()).toBe('warning: something to know\n');
  });

  test('one model: no error reduction in the line', () => {
    const { stdout, terminal } = terminalFor({ quiet: true }, false);
    terminal.progress('fc').epoch(EPOCH_1, 1);
    terminal.emit({ event: 'test', model: 'fc', loss: 0.5, acc: 0.5, epochs: 1, stoppedEarly: false });
    terminal.emit({ event: 'saved', out: 'o', models: { fc: 'o/fc' }, report: 'o/report.json', keras: { fc: 'o/fc.h5' }, pictures: [], page: 'o/report.md' });
    expect(stdout.text()).toBe('test accuracy fc 50.00 %; saved in o\n');
  });
});

describe('--json', () => {
  test('every stdout line is one JSON object; the numbers are all there; nothing else is printed', () => {
    const { stdout, stderr, terminal } = terminalFor({ json: true }, true);
    playRun(terminal);
    expect(terminal.generationProgress()).toBeUndefined();
    expect(stderr.text()).toBe('');
    const out = stdout.text();
    expect(out).not.toMatch(ANSI);
    expect(out.endsWith('\n')).toBe(true);
    const events = out
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as TrainEvent);
    expect(events.map((e) => e.event)).toEqual([
      'backend',
      'data',
      'preprocessed',
      'warning',
      'model',
      'epoch',
      'epoch',
      'test',
      'model',
      'epoch',
      'epoch',
      'test',
      'error_reduction',
      'saved',
    ]);
    expect(events[5]).toEqual({
      event: 'epoch',
      model: 'fc',
      epochs: 30,
      epoch: 1,
      loss: 1.2345,
      acc: 0.61,
      val_loss: 0.9876,
      val_acc: 0.72,
      seconds: 7.25,
      step_seconds: 6.5,
      validation_seconds: 0.5,
      samples_per_second: 3325.1,
    });
    expect(events[10]).toMatchObject({ event: 'epoch', model: 'cnn', epoch: 2, val_acc: 0.86 });
    expect(events[11]).toEqual({ event: 'test', model: 'cnn', loss: 0.375, acc: 0.9545, epochs: 2, stoppedEarly: false });
    expect(events[12]).toEqual({ event: 'error_reduction', percent: 67.92 });
    expect(events[3]).toEqual({ event: 'warning', message: 'something to know' });
    expect(events[0]).toMatchObject({ event: 'backend', name: 'wasm', threads: 2 });
  });
});
