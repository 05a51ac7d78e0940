import { expect, test } from 'vitest';
import { type EpochRow, formatEpochTable } from '../../bench/epoch_table.js';

const row = (model: EpochRow['model'], backend: EpochRow['backend'], msPerBatch: number | null): EpochRow => ({
  model,
  backend,
  msPerBatch,
  epochSeconds: msPerBatch,
  note: '',
});

/** The table's cells, row by row, split on the runs of spaces between columns. */
function cells(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(/ {2,}/));
}

test("the browser rows give their time as a multiple of the same model's wasm row, the other rows a dash", () => {
  const rows = [
    row('fc', 'wasm', 30),
    row('fc', 'browser', 33),
    row('fc', 'browser-1t', 45),
    row('cnn', 'wasm', 200),
    row('cnn', 'browser', 250),
    row('cnn', 'browser-1t', null),
  ];
  const [header, ...body] = cells(formatEpochTable(rows, 128, 24_107));
  const vsNode = header!.indexOf('time vs node');
  expect(body.map((r) => [r[0], r[1], r[vsNode]])).toEqual([
    ['fc', 'wasm', '-'],
    ['fc', 'browser', '1.10x wasm'],
    ['fc', 'browser-1t', '1.50x wasm'],
    ['cnn', 'wasm', '-'],
    ['cnn', 'browser', '1.25x wasm'],
    ['cnn', 'browser-1t', '-'],
  ]);
});

test('without a wasm row the browser rows have no ratio', () => {
  const [header, ...body] = cells(formatEpochTable([row('fc', 'browser', 33)], 128, 24_107));
  expect(body[0]![header!.indexOf('time vs node')]).toBe('-');
});
