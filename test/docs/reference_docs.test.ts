// The reference in docs/ is held to the code's own lists, so that a flag or an event field added, renamed or
// dropped in the code fails here until the documentation says the same.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PREDICT_FLAGS, PREDICT_HELP } from '../../src/cli/predict_args.js';
import { PREVIEW_FLAGS, PREVIEW_HELP } from '../../src/cli/preview_args.js';
import { TRAIN_FLAGS, TRAIN_HELP } from '../../src/cli/train_args.js';
import { TRAIN_EVENT_FIELDS } from '../../src/train/events.js';

/** The rows of the first Markdown table in `markdown` whose header row starts with `| firstHeader |`. */
function tableRows(markdown: string, firstHeader: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${firstHeader} |`));
  if (start < 0) throw new Error(`no table headed "${firstHeader}"`);
  const rows: string[][] = [];
  // The header and the |---| line come first; the table ends at the first line that is not a row.
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** The flag names a flag table documents: `--batch-size=N` in its first column gives `batch-size`. */
function documentedFlags(path: string): string[] {
  return tableRows(readFileSync(path, 'utf8'), 'flag').map(([cell]) => {
    const name = /^`--([a-z-]+)(=[^`]*)?`$/.exec(cell ?? '')?.[1];
    if (name === undefined) throw new Error(`${path}: "${cell}" is not a flag cell`);
    return name;
  });
}

/** The names in backticks that are not inside parentheses: a cell's field names, without its remarks. */
function fieldNames(cell: string): string[] {
  let outside = cell;
  for (let before = ''; before !== outside; ) {
    before = outside;
    outside = outside.replace(/\([^()]*\)/g, '');
  }
  return [...outside.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

const sorted = (names: readonly string[]): string[] => [...names].sort();

describe('docs/ stay true to the code', () => {
  it.each([
    ['docs/train.md', TRAIN_FLAGS, TRAIN_HELP],
    ['docs/predict.md', PREDICT_FLAGS, PREDICT_HELP],
    ['docs/data.md', PREVIEW_FLAGS, PREVIEW_HELP],
  ] as const)('%s documents exactly the flags the parser accepts, and --help names each', (path, flags, help) => {
    expect(sorted(documentedFlags(path))).toEqual(sorted(flags));
    for (const flag of flags) expect(help).toContain(`--${flag}`);
  });

  it('docs/train.md lists every --json event with exactly its fields, in the order a run sends them', () => {
    const rows = tableRows(readFileSync('docs/train.md', 'utf8'), '`event`');
    const documented = rows.map(([event, fields]) => [fieldNames(event ?? '')[0], sorted(fieldNames(fields ?? ''))]);
    const coded = Object.entries(TRAIN_EVENT_FIELDS).map(([event, fields]) => [event, sorted(fields)]);
    expect(documented).toEqual(coded);
  });

  it('reads a table the way the checks above rely on', () => {
    const markdown = '| flag | meaning |\n| --- | --- |\n| `--out=DIR` | where (`runs/x`) |\n\nafter';
    expect(tableRows(markdown, 'flag')).toEqual([['`--out=DIR`', 'where (`runs/x`)']]);
    expect(fieldNames('`a`, `b` (`not` this), `c` ((nested `x`))')).toEqual(['a', 'b', 'c']);
  });
});
