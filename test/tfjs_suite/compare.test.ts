import { describe, expect, test } from 'vitest';
import { compareRuns, comparisonPasses, type KnownFailure, type Run } from './compare.js';
import type { FileResult, SpecResult } from './results.js';

const file = (name: string, specs: Array<[string, string]>, error?: string): FileResult => ({
  file: name,
  backend: 'x',
  threads: 1,
  specs: specs.map(([spec, status]): SpecResult => ({ name: spec, status })),
  ...(error !== undefined ? { error } : {}),
});
const run = (label: string, ...files: FileResult[]): Run => ({ label, files });

const stock = run(
  'wasm 1T',
  file('a_test.js', [
    ['p', 'passed'],
    ['f', 'failed'],
    ['g', 'failed'],
    ['x', 'excluded'],
  ]),
);
const known: KnownFailure[] = [{ file: 'a_test.js', spec: 'f', reason: 'int32 is not supported' }];

describe('compareRuns', () => {
  test('passes when ours passes what stock passes and fails on both exactly as listed', () => {
    const ours = run(
      'alnum-wasm 2T',
      file('a_test.js', [
        ['p', 'passed'],
        ['f', 'failed'],
        ['g', 'passed'],
        ['x', 'excluded'],
      ]),
    );
    const c = compareRuns(stock, [ours], known);
    expect(comparisonPasses(c)).toBe(true);
    expect(c.fixed.map((f) => f.spec)).toEqual(['g']);
  });

  test('a spec that passes on stock and fails or is missing on any run of ours is a regression', () => {
    const good = run(
      'alnum-wasm 2T',
      file('a_test.js', [
        ['p', 'passed'],
        ['f', 'failed'],
      ]),
    );
    const bad = run('alnum-wasm 4T', file('a_test.js', [['f', 'failed']]));
    const c = compareRuns(stock, [good, bad], known);
    expect(c.regressions).toEqual([{ run: 'alnum-wasm 4T', file: 'a_test.js', spec: 'p', message: 'not run' }]);
    expect(comparisonPasses(c)).toBe(false);
  });

  test('a crashed file or one that ran no spec is broken, never a pass', () => {
    const crashed = run('alnum-wasm 2T', file('a_test.js', [], 'killed after 120 s'));
    expect(compareRuns(stock, [crashed], known).broken).toEqual([{ run: 'alnum-wasm 2T', file: 'a_test.js', why: 'killed after 120 s' }]);
    const empty = run('alnum-wasm 2T', file('a_test.js', [['p', 'excluded']]));
    const c = compareRuns(stock, [empty], known);
    expect(c.broken.map((b) => b.why)).toEqual(['no spec ran']);
    expect(comparisonPasses(c)).toBe(false);
  });

  test('the fail-on-both list must match known_failures.json both ways', () => {
    const ours = run(
      'alnum-wasm 2T',
      file('a_test.js', [
        ['p', 'passed'],
        ['f', 'passed'],
        ['g', 'failed'],
      ]),
    );
    const c = compareRuns(stock, [ours], known);
    expect(c.unexpected.map((f) => f.spec)).toEqual(['g']);
    expect(c.gone.map((k) => k.spec)).toEqual(['f']);
    expect(comparisonPasses(c)).toBe(false);
  });
});
