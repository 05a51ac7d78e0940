import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const workersDir = fileURLToPath(new URL('../../workers/', import.meta.url));

/** Where a `workers/` entry file is and how to start it: TypeScript sources need tsx's loader in the thread. */
export function workerEntry(name: string): { filename: string; execArgv: string[] } {
  const js = `${workersDir}${name}.js`;
  if (existsSync(js)) return { filename: js, execArgv: [] };
  // Every thread loads its own module graph, so the loader must be named for it too: vitest's
  // own workers do not carry tsx in their execArgv.
  return { filename: `${workersDir}${name}.ts`, execArgv: ['--import', 'tsx'] };
}
