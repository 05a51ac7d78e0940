// How a kernel thread is started. workerEntry() (src/util/worker_entry.ts) names the file and, for a .ts
// source, execArgv ['--import', 'tsx']. That suits Piscina, which require()s the task file, but not a
// plain Worker whose entry is the .ts file itself: measured on Node 20.20 with tsx 4.23, tsx's `--import
// tsx` registers its ESM hooks on the main thread only, so a .ts entry in this "type": "module" package
// fails with "Unknown file extension .ts". Registering the hooks through tsx's public API from a preload
// module (tsx_register.mjs) works in workers, keeping the thread a real ES module.
import { workerEntry } from '../../util/worker_entry.js';

/** File and execArgv that start `workers/kernel_thread` in a plain Worker, from source or built. */
export function kernelThreadEntry(): { filename: string; execArgv: string[] } {
  const entry = workerEntry('kernel_thread');
  if (!entry.filename.endsWith('.ts')) return entry;
  return { filename: entry.filename, execArgv: ['--import', new URL('./tsx_register.mjs', import.meta.url).href] };
}
