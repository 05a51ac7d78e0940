// The epoch bench's browser rows: the same training steps as Node's timing child, timed in headless Chromium
// by the page's bench worker (web/bench_worker.ts). `browser` is served cross-origin isolated (threads as
// asked); `browser-1t` without the isolation headers, the page's one-thread fallback.
import { buildWeb, WEB_OUT_DIR } from '../web/build.js';
import { launchChromium } from '../web/chromium.js';
import type { BenchReply, BenchRequest } from '../web/protocol.js';
import { serveWeb, type WebServer } from '../web/server.js';
import type { BenchModel } from './bench_models.js';
import type { StepPlan, StepResult } from './step_runner.js';

export const BROWSER_BACKENDS = ['browser', 'browser-1t'] as const;
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];

export function isBrowserBackend(name: string): name is BrowserBackend {
  return (BROWSER_BACKENDS as readonly string[]).includes(name);
}

/** The built page, its two servers and one Chromium, started once for a whole bench run. */
export interface BrowserBench {
  timeSteps(backend: BrowserBackend, model: BenchModel, plan: StepPlan): Promise<StepResult>;
  close(): Promise<void>;
}

/** Builds the page, serves it with and without isolation, and launches Chromium. */
export async function openBrowserBench(): Promise<BrowserBench> {
  await buildWeb();
  const servers: Record<BrowserBackend, WebServer> = {
    browser: await serveWeb({ dir: WEB_OUT_DIR, port: 0, isolated: true }),
    'browser-1t': await serveWeb({ dir: WEB_OUT_DIR, port: 0, isolated: false }),
  };
  const chromium = await launchChromium();
  return {
    async timeSteps(backend, model, plan) {
      // A fresh page each time, as Node's rows take a fresh process: its own heap and kernel threads.
      const page = await chromium.browser.newPage();
      try {
        await page.goto(`${servers[backend].url}bench.html`);
        const request: BenchRequest = { model, ...plan };
        // Runs in the page, whose globals this project's Node typings do not have.
        const reply = await page.evaluate(
          (req) =>
            new Promise<BenchReply>((resolve) => {
              type PageWorker = {
                onmessage: (event: { data: BenchReply }) => void;
                onerror: (event: { message: string }) => void;
                postMessage(r: BenchRequest): void;
              };
              const { Worker } = globalThis as unknown as { Worker: new (url: string, options: object) => PageWorker };
              const worker = new Worker('./bench.js', { type: 'module', name: 'bench' });
              worker.onmessage = (event) => resolve(event.data);
              worker.onerror = (event) => resolve({ error: `bench worker: ${event.message}` });
              worker.postMessage(req);
            }),
          request,
        );
        return reply.error === undefined ? reply : { error: reply.error.split('\n')[0] };
      } catch (error) {
        return { error: `browser failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
      } finally {
        await page.close();
      }
    },
    async close() {
      await chromium.close();
      await Promise.all(Object.values(servers).map((s) => s.close()));
    },
  };
}
