// `npm run test:tfjs`: tfjs-core's own kernel specs on stock `wasm` and on ours, one process per spec file,
// a few at a time, then compareRuns (compare.ts). Results go to test/tfjs_suite/results/, one JSON per run.
// Flags: --files=a_test.js,b_test.js (default: spec_files.ts), --jobs=2, --timeout=120 (seconds per process).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OWN_WASM } from '../../src/backends/types.js';
import { compareRuns, comparisonPasses, formatComparison, type KnownFailure, type Run } from './compare.js';
import { type FileResult, RESULT_MARK, runLabel, STOCK } from './results.js';
import { SPEC_FILES, THREADED_SPEC_FILES } from './spec_files.js';

const { values } = parseArgs({
  options: {
    files: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '120' },
  },
});
const files = values.files?.split(',') ?? SPEC_FILES;
const jobs = Number(values.jobs);
const timeoutMs = Number(values.timeout) * 1000;
const root = fileURLToPath(new URL('../../', import.meta.url));
const runSpec = fileURLToPath(new URL('./run_spec.ts', import.meta.url));
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

interface Task {
  backend: string;
  threads: number;
  file: string;
}

/** Stock at 1 thread (its only count under Node) and ours at 2 on every file; ours at 1, 3 and 4 on the threaded files. */
const runs: Array<{ backend: string; threads: number; files: readonly string[] }> = [
  { backend: STOCK, threads: 1, files },
  { backend: OWN_WASM, threads: 2, files },
  ...[1, 3, 4].map((threads) => ({ backend: OWN_WASM, threads, files: files.filter((f) => THREADED_SPEC_FILES.includes(f)) })),
].filter((run) => run.files.length > 0);
// The threaded files are the slowest; starting them first keeps both job slots busy to the end.
const tasks: Task[] = runs
  .flatMap((run) => run.files.map((file) => ({ backend: run.backend, threads: run.threads, file })))
  .sort((a, b) => Number(THREADED_SPEC_FILES.includes(b.file)) - Number(THREADED_SPEC_FILES.includes(a.file)));

/** Runs one spec file in its own process; a crash, a timeout or a missing result line is the file's error. */
function runOne(task: Task): Promise<FileResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', runSpec, task.backend, String(task.threads), task.file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-2000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      const line = out
        .split('\n')
        .filter((l) => l.startsWith(RESULT_MARK))
        .pop();
      if (line !== undefined && code === 0) {
        resolve({ ...(JSON.parse(line.slice(RESULT_MARK.length)) as FileResult), seconds });
        return;
      }
      const why = timedOut ? `killed after ${timeoutMs / 1000} s` : `exited with ${code ?? signal} without a result`;
      const tail = err.trim().split('\n').slice(-3).join(' | ');
      resolve({ ...task, error: `${why}${tail ? `: ${tail}` : ''}`, specs: [], seconds });
    });
  });
}

const started = performance.now();
const results: FileResult[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: jobs }, async () => {
    for (let task = tasks[next++]; task !== undefined; task = tasks[next++]) {
      const result = await runOne(task);
      results.push(result);
      const passed = result.specs.filter((s) => s.status === 'passed').length;
      const failed = result.specs.filter((s) => s.status === 'failed').length;
      const note = result.error === undefined ? '' : ` ERROR ${result.error.slice(0, 200)}`;
      process.stdout.write(`${runLabel(task.backend, task.threads)} ${task.file}: ${passed} passed, ${failed} failed (${result.seconds} s)${note}\n`);
    }
  }),
);
const seconds = Math.round((performance.now() - started) / 1000);

mkdirSync(resultsDir, { recursive: true });
const byRun: Run[] = runs.map((run) => {
  const label = runLabel(run.backend, run.threads);
  const mine = results.filter((r) => r.backend === run.backend && r.threads === run.threads).sort((a, b) => a.file.localeCompare(b.file));
  writeFileSync(`${resultsDir}${run.backend}-${run.threads}t.json`, `${JSON.stringify(mine, null, 1)}\n`);
  return { label, files: mine };
});
const [stock, ...ours] = byRun as [Run, ...Run[]];

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
const count = (rs: readonly FileResult[], status: string): number => rs.reduce((n, r) => n + r.specs.filter((s) => s.status === status).length, 0);
const cell = (run: Run, file: string): string => {
  const r = run.files.find((f) => f.file === file);
  if (r === undefined) return '';
  if (r.error !== undefined) return 'error';
  return `${count([r], 'passed')}/${count([r], 'passed') + count([r], 'failed')}`;
};
const table = [
  `| file | ${byRun.map((r) => r.label).join(' | ')} |`,
  `| --- |${byRun.map(() => ' --- |').join('')}`,
  ...files.map((file) => `| ${file} | ${byRun.map((run) => cell(run, file)).join(' | ')} |`),
];
writeFileSync(`${resultsDir}table.md`, `${table.join('\n')}\n`);

const known = JSON.parse(readFileSync(new URL('./known_failures.json', import.meta.url), 'utf8')) as KnownFailure[];
const comparison = compareRuns(stock, ours, known);
const ok = comparisonPasses(comparison);
const lines = [
  '',
  'passed/run per file (test/tfjs_suite/results/table.md):',
  ...table,
  ...formatComparison(comparison),
  '',
  ...byRun.map((run) => `${run.label}: ${count(run.files, 'passed')} passed, ${count(run.files, 'failed')} failed, ${plural(run.files.length, 'file')}`),
  `${tasks.length} processes in ${seconds} s`,
  `tfjs suite: ${count(results, 'passed')} passed, ${count(results, 'failed')} failed; ` +
    `${new Set(comparison.regressions.map((r) => `${r.file} ${r.spec}`)).size} pass on stock and fail on ours, ` +
    `${comparison.failOnBoth.length} fail on both (${comparison.unexpected.length} unlisted, ${comparison.gone.length} listed but passing), ` +
    `${comparison.broken.length} crashed or empty files: ${ok ? 'OK' : 'FAIL'}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exitCode = ok ? 0 : 1;
