import { describe, expect, test } from 'vitest';
import { parseOutputFlags, parseTrainArgs, TRAIN_FLAGS, TRAIN_HELP } from '../../src/cli/train_args.js';
import { DEFAULT_CONFIG } from '../../src/train/config.js';
import { UserError } from '../../src/util/user_error.js';

describe('train flags', () => {
  test("no flags give the notebook's settings", () => {
    expect(parseTrainArgs([])).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({ batchSize: 128, epochs: 30, patience: 2, testSplit: 0.2, learningRate: 0.001, models: ['fc', 'cnn'] });
  });

  test('every flag is read', () => {
    const config = parseTrainArgs([
      '--backend=wasm',
      '--model=cnn',
      '--data=x.pkl',
      '--epochs=3',
      '--batch-size=64',
      '--patience=1',
      '--samples=720',
      '--limit=500',
      '--test-split=0.25',
      '--seed=7',
      '--learning-rate=0.01',
      '--out=o',
      '--threads=1',
    ]);
    expect(config).toEqual({
      backend: 'wasm',
      models: ['cnn'],
      data: 'x.pkl',
      epochs: 3,
      batchSize: 64,
      patience: 1,
      samples: 720,
      limit: 500,
      testSplit: 0.25,
      seed: 7,
      learningRate: 0.01,
      out: 'o',
      threads: 1,
    });
  });

  test.each([
    [['--backend=tpu'], '--backend must be one of auto, cuda, wasm, tfjs-wasm, cpu, not "tpu"'],
    [['--epochs=0'], '--epochs must be a whole number of at least 1, not "0"'],
    [['--batch-size=1.5'], '--batch-size must be a whole number of at least 1, not "1.5"'],
    [['--test-split=1'], '--test-split must be a number between 0 and 1, not "1"'],
    [['--model=rnn'], '--model must be one of fc, cnn, both, not "rnn"'],
    [['--colour'], "Unknown option '--colour'"],
  ])('%j is refused with: %s', (argv, message) => {
    expect(() => parseTrainArgs(argv)).toThrow(message);
  });

  test('--help is recognised', () => {
    expect(parseTrainArgs(['--help'])).toBe('help');
  });

  test('every accepted flag is in --help, and no other', () => {
    const helped = [...TRAIN_HELP.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]);
    expect([...TRAIN_FLAGS].sort()).toEqual(helped.sort());
  });
});

describe('output flags', () => {
  test('are accepted but kept out of the configuration that report.json records', () => {
    expect(parseTrainArgs(['--quiet', '--no-color'])).toEqual(DEFAULT_CONFIG);
    expect(parseTrainArgs(['--json'])).toEqual(DEFAULT_CONFIG);
  });

  test.each([
    [[], { quiet: false, json: false, noColor: false }],
    [['--quiet'], { quiet: true, json: false, noColor: false }],
    [['--epochs=3', '--json', '--no-color'], { quiet: false, json: true, noColor: true }],
  ])('%j are read as %j', (argv, flags) => {
    expect(parseOutputFlags(argv)).toEqual(flags);
  });

  test('--quiet with --json is a usage error', () => {
    expect(() => parseOutputFlags(['--quiet', '--json'])).toThrow(UserError);
    expect(() => parseOutputFlags(['--quiet', '--json'])).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(() => parseOutputFlags(['--json', '--quiet'])).toThrow('--quiet and --json cannot be used together');
  });

  test('take no value', () => {
    expect(() => parseTrainArgs(['--quiet=yes'])).toThrow("Option '--quiet' does not take an argument");
  });

  test('are in --help', () => {
    for (const flag of ['--quiet', '--json', '--no-color']) expect(TRAIN_HELP).toContain(`  ${flag} `);
  });
});
