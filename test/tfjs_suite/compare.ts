import type { FileResult } from './results.js';

/** A spec that fails on stock `wasm` and on ours, checked in with why (known_failures.json). */
export interface KnownFailure {
  file: string;
  spec: string;
  reason: string;
}

/** One run: every file of one backend at one thread count. */
export interface Run {
  label: string;
  files: FileResult[];
}

/** A spec named by its file. */
export interface SpecRef {
  file: string;
  spec: string;
  /** What went wrong, where known. */
  message?: string;
}

/** What the runs show, held against the stock run and the known list. */
export interface Comparison {
  /** Files whose process crashed, timed out, failed to load or ran no spec, by run. */
  broken: Array<{ run: string; file: string; why: string }>;
  /** Specs that pass on stock and do not pass on one of ours, by run. */
  regressions: Array<SpecRef & { run: string }>;
  /** Specs that fail on stock and on ours at some thread count. */
  failOnBoth: SpecRef[];
  /** Of those, the ones known_failures.json does not list. */
  unexpected: SpecRef[];
  /** Listed in known_failures.json (for a file that ran) but not failing on both. */
  gone: KnownFailure[];
  /** Specs that fail on stock and pass on every run of ours: information only. */
  fixed: SpecRef[];
}

const key = (file: string, spec: string): string => `${file}\u0000${spec}`;

/** Why a file's result cannot count as a pass, or undefined when it ran. */
function brokenReason(result: FileResult): string | undefined {
  if (result.error !== undefined) return result.error;
  if (!result.specs.some((s) => s.status === 'passed' || s.status === 'failed')) return 'no spec ran';
  return undefined;
}

/**
 * Holds our runs against the stock run: a crashed or empty file is a failure, never a pass; a spec the stock
 * backend passes must pass on every run of ours that covers its file; and the specs that fail on both must be
 * exactly the known list (for the files that ran).
 */
export function compareRuns(stock: Run, ours: readonly Run[], known: readonly KnownFailure[]): Comparison {
  const broken: Comparison['broken'] = [];
  for (const run of [stock, ...ours]) {
    for (const result of run.files) {
      const why = brokenReason(result);
      if (why !== undefined) broken.push({ run: run.label, file: result.file, why });
    }
  }
  const statusOf = ours.map((run) => {
    const map = new Map<string, { status: string; message?: string }>();
    for (const result of run.files) {
      for (const spec of result.specs) map.set(key(result.file, spec.name), spec);
    }
    return { run, map, files: new Set(run.files.map((r) => r.file)) };
  });
  const regressions: Comparison['regressions'] = [];
  const failOnBoth: SpecRef[] = [];
  const fixed: SpecRef[] = [];
  for (const result of stock.files) {
    for (const spec of result.specs) {
      const id = key(result.file, spec.name);
      const covering = statusOf.filter((o) => o.files.has(result.file));
      if (spec.status === 'passed') {
        for (const o of covering) {
          const mine = o.map.get(id);
          if (mine?.status !== 'passed') {
            const message = mine?.message ?? (mine === undefined ? 'not run' : mine.status);
            regressions.push({ run: o.run.label, file: result.file, spec: spec.name, message });
          }
        }
      } else if (spec.status === 'failed') {
        const ref = { file: result.file, spec: spec.name, ...(spec.message !== undefined ? { message: spec.message } : {}) };
        if (covering.some((o) => o.map.get(id)?.status === 'failed')) failOnBoth.push(ref);
        else if (covering.length > 0 && covering.every((o) => o.map.get(id)?.status === 'passed')) fixed.push(ref);
      }
    }
  }
  const seen = new Set(failOnBoth.map((f) => key(f.file, f.spec)));
  const listed = new Set(known.map((k) => key(k.file, k.spec)));
  const ranFiles = new Set(stock.files.map((r) => r.file));
  return {
    broken,
    regressions,
    failOnBoth,
    unexpected: failOnBoth.filter((f) => !listed.has(key(f.file, f.spec))),
    gone: known.filter((k) => ranFiles.has(k.file) && !seen.has(key(k.file, k.spec))),
    fixed,
  };
}

/** Whether the comparison is clean: nothing broken, no regression, the fail-on-both list as checked in. */
export function comparisonPasses(c: Comparison): boolean {
  return c.broken.length === 0 && c.regressions.length === 0 && c.unexpected.length === 0 && c.gone.length === 0;
}

/** The comparison as report lines, problems first. */
export function formatComparison(c: Comparison): string[] {
  const lines: string[] = [];
  const section = (title: string, items: string[]): void => {
    if (items.length === 0) return;
    lines.push('', `${title} (${items.length}):`, ...items);
  };
  section(
    'crashed, timed out or ran no spec',
    c.broken.map((b) => `  ${b.run} ${b.file}: ${b.why}`),
  );
  section(
    'pass on stock wasm, fail on ours',
    c.regressions.map((r) => `  ${r.run} ${r.file} :: ${r.spec}\n      ${r.message ?? ''}`),
  );
  section(
    'fail on both, not in test/tfjs_suite/known_failures.json',
    c.unexpected.map((f) => `  ${f.file} :: ${f.spec}\n      ${f.message ?? ''}`),
  );
  section(
    'in test/tfjs_suite/known_failures.json, no longer failing on both',
    c.gone.map((k) => `  ${k.file} :: ${k.spec}`),
  );
  section(
    'fail on stock wasm, pass on ours',
    c.fixed.map((f) => `  ${f.file} :: ${f.spec}`),
  );
  return lines;
}
