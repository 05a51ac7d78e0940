import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/exit_script.ts', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { timeout: 60_000 }, (error, stdout) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, ms: performance.now() - started });
    });
  });
}

describe('kernel threads never keep the process alive', () => {
  test.each([[['--close']], [[]]])('a process with a pool exits by itself (args %j)', async (args) => {
    const { code, stdout, ms } = await run(args);
    expect(stdout).toContain('finished');
    expect(code).toBe(0);
    // Killed by the timeout it would have taken 60 s; starting tsx and asc takes a few.
    expect(ms).toBeLessThan(30_000);
  });
});
