// `npm run bench`'s browser rows: a dedicated Web Worker, started by the bench in a page of its own, that
// starts the backend as the page's trainer does and times the same steps as Node's timing child
// (bench/time_steps.ts). Kept out of the trainer so the bench's networks never reach the user's page.

import { timeBenchSteps } from '../bench/time_steps.js';
import { useTrainingBackend } from '../src/index.js';
import type { BenchReply, BenchRequest } from './protocol.js';

interface BenchScope {
  crossOriginIsolated: boolean;
  postMessage(message: BenchReply): void;
  addEventListener(type: 'message', listener: (event: { data: BenchRequest }) => void): void;
}

const scope = globalThis as unknown as BenchScope;

async function run(request: BenchRequest): Promise<BenchReply> {
  // As in the trainer: threads need shared memory, which only a cross-origin isolated page has.
  const threads = scope.crossOriginIsolated ? request.threads : 1;
  const backend = await useTrainingBackend({ threads });
  const times = await timeBenchSteps(request.model, request.batches, request.batchSize);
  await backend.close();
  const isolation = scope.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated';
  return { ...times, detail: `Chromium, ${isolation}; ${backend.detail}`, threads: backend.threads };
}

scope.addEventListener('message', (event) => {
  run(event.data).then(
    (reply) => scope.postMessage(reply),
    (error: unknown) => scope.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
