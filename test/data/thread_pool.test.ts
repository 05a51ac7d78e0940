import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PIXELS } from '../../src/data/dataset.js';
import { type RenderTask, renderChunk } from '../../src/data/synthetic/render.js';
import { ThreadFailure, type WorkerFile, withThreadPool } from '../../src/data/thread_pool.js';
import { workerEntry } from '../../src/util/worker_entry.js';

// Worker threads that fail at load, exit inside a task, or throw outside a task must fail the run
// with one clear line, never hang it, and leave no thread behind: the child processes below never
// call process.exit, so each exits by itself only once all its threads have ended.

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtureWorker = (name: string): WorkerFile => ({
  filename: fileURLToPath(new URL(`../fixtures/workers/${name}.ts`, import.meta.url)),
  execArgv: ['--import', 'tsx'],
});
const FAILING = [
  ['throw_at_load', /a \w+ thread failed: .+/],
  ['exit_in_task', /a \w+ thread failed: worker exited with code: 3/],
  ['uncaught_in_task', /a \w+ thread failed: fixture worker threw outside its task/],
] as const;
/** A hang guard: these runs take a few seconds, tens on a loaded machine. */
const GUARD_MS = 90_000;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Whether the guard had to kill the process. */
  hung: boolean;
}

/** Runs a command from the repository root, killing it if it outlives the guard. */
function runChild(args: string[]): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, GUARD_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
  });
}

describe('withThreadPool', () => {
  it.each(FAILING)('%s: every task fails with one ThreadFailure line naming the pool', async (name, expected) => {
    const tasks = withThreadPool<object, unknown, unknown[]>({ worker: fixtureWorker(name), threads: 2, what: 'test' }, (run) =>
      Promise.all([run({}), run({}), run({})]),
    );
    const error = await tasks.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ThreadFailure);
    const { message, cause } = error as ThreadFailure;
    expect(message).toMatch(expected);
    expect(message.startsWith('a test thread failed: ')).toBe(true);
    expect(message).not.toMatch(/[\r\n]/);
    expect(cause).toBeInstanceOf(Error);
  });

  it('returns what the tasks made when the threads work', async () => {
    const task: RenderTask = { seed: 4, start: 0, labels: Uint8Array.of(1, 20) };
    const value = await withThreadPool<RenderTask, Uint8Array, Uint8Array>({ worker: workerEntry('render'), threads: 1, what: 'test' }, (run) => run(task));
    expect(value).toHaveLength(2 * PIXELS);
    expect(value).toEqual(renderChunk(task));
  });
});

describe('pipelines in a child process exit by themselves', () => {
  const child = fileURLToPath(new URL('../fixtures/workers/pipeline_child.ts', import.meta.url));

  it('rendering with working threads exits 0', async () => {
    const exit = await runChild(['--import', 'tsx', child, 'real']);
    expect(exit.hung).toBe(false);
    expect(exit.stderr.replace(/^npm warn.*\n/gm, '')).toBe('');
    expect(exit.stdout).toBe('rendered 8\n');
    expect(exit.code).toBe(0);
  });

  it.each(FAILING)('rendering with a worker that fails (%s) reports it in one line and exits 1', async (name, expected) => {
    const exit = await runChild(['--import', 'tsx', child, name]);
    expect(exit.hung).toBe(false);
    const lines = exit.stderr.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ThreadFailure: a rendering thread failed: /);
    expect(lines[0]).toMatch(expected);
    expect(exit.code).toBe(1);
  });

  it('the train CLI ends its kernel threads after refusing a corrupt pickle', async () => {
    const corrupt = fileURLToPath(new URL('../fixtures/pickles/truncated_half_p4.pkl', import.meta.url));
    const exit = await runChild([
      '--import',
      'tsx',
      'src/cli/train.ts',
      '--backend=wasm',
      '--threads=2',
      `--data=${corrupt}`,
      '--out=/nonexistent/never-written',
    ]);
    expect(exit.hung).toBe(false);
    expect(exit.stdout).toMatch(/^backend: wasm/);
    expect(exit.stderr.startsWith(`error: Cannot load ${corrupt}: the file is truncated`)).toBe(true);
    expect(exit.stderr.split('\n')).toHaveLength(2);
    expect(exit.code).toBe(1);
  });
});
