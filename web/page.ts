// The page's main thread: settings, facts and progress lines. It never runs tfjs itself; training happens
// in trainer_worker.ts, because a page's main thread may not block as the kernel pool's caller does.
import type { ModelName } from '../src/models/registry.js';
import type { BackendFacts, StopRequest, TrainerMessage, TrainRequest } from './protocol.js';

/** The few DOM parts used, typed locally: the project's TypeScript lib is Node's, not the DOM's. */
interface Element {
  textContent: string | null;
  hidden: boolean;
  value: string;
  disabled: boolean;
  dataset: Record<string, string>;
  addEventListener(type: string, listener: (event: { preventDefault(): void; data?: unknown }) => void): void;
}

interface PageScope {
  crossOriginIsolated: boolean;
  location: { search: string };
  document: { body: Element; getElementById(id: string): Element | null };
  Worker: new (url: URL, options: { type: 'module'; name: string }) => Element & { postMessage(message: TrainRequest | StopRequest): void };
  /** What the last run reached, for tests and for anyone in the console. */
  trainResult?: TrainerMessage;
}

const page = globalThis as unknown as PageScope;

function byId(id: string): Element {
  const element = page.document.getElementById(id);
  if (element === null) throw new Error(`page has no #${id}`);
  return element;
}

const logView = byId('log');
const log = (text: string): void => {
  logView.textContent += `${text}\n`;
};

function showFacts(facts: BackendFacts): void {
  byId('backend').textContent = `${facts.backend} (${facts.detail})`;
  byId('threads').textContent = String(facts.threads);
  const note = byId('fallback');
  note.hidden = facts.fallback === undefined;
  note.textContent = facts.fallback === undefined ? '' : `Training on one thread: ${facts.fallback}.`;
}

const setState = (state: string): void => {
  page.document.body.dataset.state = state;
};

const trainer = new page.Worker(new URL('./trainer.js', import.meta.url), { type: 'module', name: 'trainer' });
trainer.addEventListener('message', (event) => {
  const message = event.data as TrainerMessage;
  if (message.type === 'log') log(message.text);
  else if (message.type === 'backend') showFacts(message.facts);
  else {
    page.trainResult = message;
    byId('train').disabled = false;
    byId('stop').disabled = true;
    if (message.type === 'done') {
      showFacts(message.facts);
      for (const r of message.results) {
        const figures = r.epochs === 0 ? 'no epoch finished' : `test accuracy ${(r.valAcc * 100).toFixed(1)} %, ${r.stepMs.toFixed(1)} ms a step`;
        log(`${r.model.toUpperCase()}: ${figures}`);
      }
      setState('done');
    } else {
      log(`Failed: ${message.message}`);
      setState('failed');
    }
  }
});

function start(): void {
  const request: TrainRequest = {
    type: 'train',
    models: byId('models').value.split(',') as ModelName[],
    threads: Number(byId('thread-count').value),
    epochs: Number(byId('epochs').value),
    patience: Number(byId('patience').value),
    learningRate: Number(byId('learning-rate').value),
    images: Number(byId('images').value),
    seed: 42,
  };
  byId('train').disabled = true;
  byId('stop').disabled = false;
  setState('training');
  trainer.postMessage(request);
}

byId('isolated').textContent = String(page.crossOriginIsolated);
if (!page.crossOriginIsolated) byId('fallback').hidden = false;
if (!page.crossOriginIsolated) byId('fallback').textContent = 'This page is not cross-origin isolated: training will run on one thread.';
byId('stop').addEventListener('click', () => {
  byId('stop').disabled = true;
  log('Stopping after this step...');
  trainer.postMessage({ type: 'stop' });
});
byId('settings').addEventListener('submit', (event) => {
  event.preventDefault();
  start();
});
// ?models=fc&threads=2&images=720&autostart sets the form and starts, for links and tests.
const query = new URLSearchParams(page.location.search);
for (const [param, id] of [
  ['models', 'models'],
  ['threads', 'thread-count'],
  ['epochs', 'epochs'],
  ['patience', 'patience'],
  ['lr', 'learning-rate'],
  ['images', 'images'],
] as const) {
  const value = query.get(param);
  if (value !== null) byId(id).value = value;
}
setState('idle');
if (query.has('autostart')) start();
