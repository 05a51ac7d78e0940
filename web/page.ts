// The page's main thread: settings, facts and progress lines. It never runs tfjs itself; training happens
// in trainer_worker.ts, because a page's main thread may not block as the kernel pool's caller does.
import { CLASS_CHARS, IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../src/data/dataset.js';
import type { ModelName } from '../src/models/registry.js';
import { errorReduction } from '../src/train/error_reduction.js';
import type { BackendFacts, DataKind, EpochPoint, ModelGuesses, PredictRequest, StopRequest, TestResults, TrainerMessage, TrainRequest } from './protocol.js';

/** The few DOM parts used, typed locally: the project's TypeScript lib is Node's, not the DOM's. */
interface Element {
  textContent: string | null;
  hidden: boolean;
  value: string;
  disabled: boolean;
  dataset: Record<string, string>;
  addEventListener(type: string, listener: (event: PointerLike) => void): void;
  replaceChildren(...children: unknown[]): void;
  append(...children: unknown[]): void;
  className: string;
}

interface PointerLike {
  preventDefault(): void;
  data?: unknown;
  offsetX: number;
  offsetY: number;
}

interface Context2D {
  createImageData(w: number, h: number): { data: Uint8ClampedArray };
  putImageData(image: unknown, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  lineCap: string;
  lineJoin: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  font: string;
  fillText(text: string, x: number, y: number): void;
  textAlign: string;
  textBaseline: string;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
}

interface Canvas {
  className: string;
  width: number;
  height: number;
  getContext(type: '2d', options?: { willReadFrequently: boolean }): Context2D;
}

interface PageScope {
  crossOriginIsolated: boolean;
  location: { search: string };
  document: {
    body: Element;
    getElementById(id: string): Element | null;
    querySelector(selector: 'canvas#pad' | 'canvas#seen'): Canvas | null;
    createElement(tag: 'canvas'): Canvas;
    createElement(tag: 'figure' | 'figcaption' | 'li' | 'div'): Element;
    createElement(tag: 'a'): Element & { href: string; download: string };
  };
  Blob: new (parts: unknown[], options: { type: string }) => unknown;
  URL: typeof URL & { createObjectURL(blob: unknown): string; revokeObjectURL(url: string): void };
  Worker: new (url: URL, options: { type: 'module'; name: string }) => Element & { postMessage(message: TrainRequest | StopRequest | PredictRequest): void };
  /** What the last run reached, for tests and for anyone in the console. */
  trainResult?: TrainerMessage;
  /** The last drawing as the networks saw it, and their guesses. */
  lastPrediction?: { image: Float32Array; guesses: ModelGuesses[] };
  /** Each network's finished epochs in this run, as the curves show them. */
  curves?: Partial<Record<ModelName, EpochPoint[]>>;
  /** The last run's first images and labels, as the grid shows them. */
  trainSamples?: { pixels: Uint8Array; labels: Uint8Array };
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

/** The notebook's 4x4 grid: each image white on black as stored, captioned "Label is X". */
function showSamples(pixels: Uint8Array, labels: Uint8Array): void {
  byId('samples').replaceChildren(
    ...imageFigures(
      pixels,
      [...labels].map((label) => `Label is ${CLASS_CHARS[label]}`),
    ),
  );
  byId('samples').hidden = false;
}

/** Images (uint8, 56x56 each) as captioned figures. */
function imageFigures(pixels: Uint8Array, captions: string[]): Element[] {
  return captions.map((text, i) => {
    const canvas = page.document.createElement('canvas');
    canvas.className = 'sample';
    canvas.width = IMAGE_SIZE;
    canvas.height = IMAGE_SIZE;
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(IMAGE_SIZE, IMAGE_SIZE);
    for (let k = 0; k < PIXELS; k++) {
      const v = pixels[i * PIXELS + k]!;
      image.data.set([v, v, v, 255], k * 4);
    }
    ctx.putImageData(image, 0, 0);
    const figure = page.document.createElement('figure');
    const caption = page.document.createElement('figcaption');
    caption.textContent = text;
    figure.append(canvas, caption);
    return figure;
  });
}

/** Each network's test accuracy, confusion matrix and misclassified images, and the CNN's error reduction. */
const accuracies = new Map<ModelName, number>();
function showResults(results: TestResults): void {
  if (byId('results').dataset.run !== page.document.body.dataset.run) {
    byId('results-list').replaceChildren();
    accuracies.clear();
    byId('results').dataset.run = page.document.body.dataset.run ?? '';
  }
  accuracies.set(results.model, results.accuracy);
  const block = page.document.createElement('figure');
  block.dataset.model = results.model;
  const title = page.document.createElement('figcaption');
  title.textContent = `${results.model.toUpperCase()}: test accuracy ${(results.accuracy * 100).toFixed(1)} %`;
  const wrong = page.document.createElement('figure');
  wrong.className = 'grid';
  const { labels, predicted, pixels } = results.wrong;
  wrong.append(
    ...imageFigures(
      pixels,
      [...labels].map((label, i) => `${CLASS_CHARS[label]} read as ${CLASS_CHARS[predicted[i]!]}`),
    ),
  );
  block.append(title, confusionCanvas(results.confusion), wrong);
  byId('results-list').append(block);
  const fc = accuracies.get('fc');
  const cnn = accuracies.get('cnn');
  byId('reduction').textContent =
    fc === undefined || cnn === undefined
      ? ''
      : `Error reduction: ${errorReduction(fc, cnn).toFixed(2)} % (the share of the FC net's test errors the CNN removes).`;
  byId('results').hidden = false;
}

/** The confusion matrix as a heat map: rows are the true classes, columns the predicted ones. */
function confusionCanvas(confusion: Uint32Array): Canvas {
  const cell = 8;
  const margin = 12;
  const canvas = page.document.createElement('canvas');
  canvas.width = margin + NUM_CLASSES * cell;
  canvas.height = margin + NUM_CLASSES * cell;
  canvas.className = 'confusion';
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const rowMax = (row: number): number => Math.max(1, ...confusion.subarray(row * NUM_CLASSES, (row + 1) * NUM_CLASSES));
  for (let row = 0; row < NUM_CLASSES; row++) {
    const max = rowMax(row);
    for (let col = 0; col < NUM_CLASSES; col++) {
      const share = confusion[row * NUM_CLASSES + col]! / max;
      ctx.fillStyle = `rgb(${Math.round(255 - 200 * share)}, ${Math.round(255 - 150 * share)}, 255)`;
      ctx.fillRect(margin + col * cell, margin + row * cell, cell, cell);
    }
  }
  ctx.fillStyle = '#000';
  ctx.font = '7px sans-serif';
  for (let k = 0; k < NUM_CLASSES; k++) {
    ctx.fillText(CLASS_CHARS[k]!, margin + k * cell + 2, 8);
    ctx.fillText(CLASS_CHARS[k]!, 2, margin + k * cell + 7);
  }
  return canvas;
}

/** Live curves: per network, loss and accuracy on the training (blue) and validation (orange) splits per epoch. */
let plannedEpochs = 1;
function addEpoch(model: ModelName, point: EpochPoint): void {
  const curves = page.curves ?? {};
  page.curves = curves;
  const points = curves[model] ?? [];
  curves[model] = points;
  points.push(point);
  const list = byId('curve-list');
  for (const [metric, train, val] of [
    ['loss', 'loss', 'valLoss'],
    ['accuracy', 'acc', 'valAcc'],
  ] as const) {
    const id = `curve-${model}-${metric}`;
    let chart = page.document.getElementById(id) as (Element & { firstChild: Canvas }) | null;
    if (chart === null) {
      chart = page.document.createElement('figure') as Element & { firstChild: Canvas };
      (chart as unknown as { id: string }).id = id;
      chart.dataset.model = model;
      chart.dataset.metric = metric;
      const canvas = page.document.createElement('canvas');
      canvas.width = CHART_W;
      canvas.height = CHART_H;
      canvas.className = 'curve';
      const caption = page.document.createElement('figcaption');
      caption.textContent = `${model.toUpperCase()} ${metric}`;
      chart.append(canvas, caption);
      list.append(chart);
    }
    chart.dataset.points = String(points.length);
    drawCurve(
      chart.firstChild,
      points.map((p) => [p[train], p[val]]),
      metric,
    );
  }
  byId('curves').hidden = false;
}

const CHART_W = 360;
const CHART_H = 200;
const TRAIN_COLOUR = '#1f6fd1';
const VAL_COLOUR = '#e0700f';

/** A line chart of [train, validation] per epoch; accuracy on 0..1, loss on 0 to its largest value. */
function drawCurve(canvas: Canvas, values: [number, number][], metric: 'loss' | 'accuracy'): void {
  const ctx = canvas.getContext('2d');
  const left = 40;
  const right = 10;
  const top = 22;
  const bottom = 24;
  const w = CHART_W - left - right;
  const h = CHART_H - top - bottom;
  const finite = values.flat().filter(Number.isFinite);
  const yMax = metric === 'accuracy' ? 1 : Math.max(1e-6, ...finite) * 1.1;
  // Ten epochs wide at first, growing as epochs finish, never past the epochs asked for: a long run's first
  // epochs are not squeezed into its left edge.
  const xMax = Math.max(2, values.length, Math.min(plannedEpochs, Math.max(10, values.length)));
  const x = (epoch: number): number => left + ((epoch - 1) / (xMax - 1)) * w;
  const y = (v: number): number => top + h - (Math.min(Math.max(v, 0), yMax) / yMax) * h;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, CHART_W, CHART_H);
  ctx.font = '12px sans-serif';
  ctx.strokeStyle = '#ddd';
  ctx.lineWidth = 1;
  ctx.fillStyle = '#444';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const share of [0, 0.5, 1]) {
    ctx.beginPath();
    ctx.moveTo(left, y(share * yMax));
    ctx.lineTo(left + w, y(share * yMax));
    ctx.stroke();
    ctx.fillText(metric === 'accuracy' ? `${share * 100} %` : (share * yMax).toPrecision(2), left - 4, y(share * yMax));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText('1', x(1), top + h + 4);
  ctx.fillText(`epoch ${xMax}`, x(xMax) - 20, top + h + 4);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillStyle = TRAIN_COLOUR;
  ctx.fillText('train', left, 4);
  ctx.fillStyle = VAL_COLOUR;
  ctx.fillText('validation', left + 44, 4);
  for (const [series, colour] of [
    [0, TRAIN_COLOUR],
    [1, VAL_COLOUR],
  ] as const) {
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    values.forEach((v, i) => {
      if (i === 0) ctx.moveTo(x(1), y(v[series]));
      else ctx.lineTo(x(i + 1), y(v[series]));
    });
    ctx.stroke();
    // A dot per epoch, so one finished epoch already shows.
    for (const [i, v] of values.entries()) ctx.fillRect(x(i + 1) - 3, y(v[series]) - 3, 6, 6);
  }
}

const setState = (state: string): void => {
  page.document.body.dataset.state = state;
};

const trainer = new page.Worker(new URL('./trainer.js', import.meta.url), { type: 'module', name: 'trainer' });
trainer.addEventListener('message', (event) => {
  const message = event.data as TrainerMessage;
  if (message.type === 'log') log(message.text);
  else if (message.type === 'backend') showFacts(message.facts);
  else if (message.type === 'samples') {
    page.trainSamples = message;
    showSamples(message.pixels, message.labels);
  } else if (message.type === 'results') {
    showResults(message.results);
  } else if (message.type === 'epoch') {
    addEpoch(message.model, message.point);
  } else if (message.type === 'model-files') {
    offerDownloads(message.model, message.json, message.weights, message.h5);
  } else if (message.type === 'prediction') {
    page.lastPrediction = message;
    showPrediction(message.image, message.guesses);
  } else if (message.type === 'prediction-failed') {
    byId('prediction').textContent = `No prediction: ${message.message}.`;
  } else {
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

let downloadUrls: string[] = [];

/**
 * Links to a trained network's two files, to save into one folder for `npm run predict -- --model=FOLDER`,
 * and to its Keras `.h5` file, which `npm run predict -- --model=FILE.h5` also reads.
 */
function offerDownloads(model: ModelName, json: string, weights: Uint8Array, h5: Uint8Array): void {
  const list = byId('downloads');
  if (list.dataset.run !== page.document.body.dataset.run) {
    for (const url of downloadUrls) page.URL.revokeObjectURL(url);
    downloadUrls = [];
    list.replaceChildren();
    list.dataset.run = page.document.body.dataset.run ?? '';
  }
  const item = page.document.createElement('li');
  item.textContent = `${model.toUpperCase()}: `;
  for (const [name, body, type] of [
    ['model.json', json, 'application/json'],
    ['weights.bin', weights, 'application/octet-stream'],
    [`${model}.h5`, h5, 'application/x-hdf5'],
  ] as const) {
    const link = page.document.createElement('a');
    link.href = page.URL.createObjectURL(new page.Blob([body], { type }));
    downloadUrls.push(link.href);
    link.download = name;
    link.textContent = name;
    link.dataset.model = model;
    item.append(link, ' ');
  }
  list.append(item);
  byId('download').hidden = false;
}

/** The drawing pad: white paper, a black pen, as a character on paper is photographed. */
const pad = page.document.querySelector('canvas#pad')!;
const pen = pad.getContext('2d', { willReadFrequently: true });
function clearPad(): void {
  pen.fillStyle = '#fff';
  pen.fillRect(0, 0, pad.width, pad.height);
  pen.strokeStyle = '#000';
  pen.lineWidth = 14;
  pen.lineCap = 'round';
  pen.lineJoin = 'round';
}
let drawing = false;
byId('pad').addEventListener('pointerdown', (event) => {
  drawing = true;
  pen.beginPath();
  pen.moveTo(event.offsetX, event.offsetY);
  pen.lineTo(event.offsetX, event.offsetY);
  pen.stroke();
});
byId('pad').addEventListener('pointermove', (event) => {
  if (!drawing) return;
  pen.lineTo(event.offsetX, event.offsetY);
  pen.stroke();
});
for (const end of ['pointerup', 'pointerleave']) {
  byId('pad').addEventListener(end, () => {
    drawing = false;
  });
}
byId('clear').addEventListener('click', () => {
  clearPad();
  byId('prediction').textContent = '';
});
byId('predict').addEventListener('click', () => {
  const { data } = pen.getImageData(0, 0, pad.width, pad.height);
  trainer.postMessage({ type: 'predict', rgba: data, width: pad.width, height: pad.height });
});

/** The drawing as the networks saw it, and each network's top 3. */
function showPrediction(image: Float32Array, guesses: ModelGuesses[]): void {
  const seen = page.document.querySelector('canvas#seen')!.getContext('2d');
  const pixels = seen.createImageData(IMAGE_SIZE, IMAGE_SIZE);
  for (let k = 0; k < PIXELS; k++) {
    const v = Math.round(image[k]! * 255);
    pixels.data.set([v, v, v, 255], k * 4);
  }
  seen.putImageData(pixels, 0, 0);
  byId('prediction').textContent = guesses
    .map((g) => `${g.model.toUpperCase()}: ${g.top.map((t) => `${t.char} ${(t.probability * 100).toFixed(1)} %`).join(', ')}`)
    .join('\n');
}

/** The train.pkl the user chose or dropped on the page. */
let pickleFile: { name: string; arrayBuffer(): Promise<ArrayBuffer> } | undefined;
byId('pickle').addEventListener('change', (event) => {
  pickleFile = (event as unknown as { target: { files: (typeof pickleFile)[] } }).target.files[0];
  if (pickleFile !== undefined) byId('data').value = 'pickle';
});
page.document.body.addEventListener('dragover', (event) => event.preventDefault());
page.document.body.addEventListener('drop', (event) => {
  event.preventDefault();
  pickleFile = (event as unknown as { dataTransfer: { files: (typeof pickleFile)[] } }).dataTransfer.files[0];
  if (pickleFile === undefined) return;
  byId('data').value = 'pickle';
  byId('pickle-name').textContent = pickleFile.name;
});

async function start(): Promise<void> {
  // The state changes before the file is read, so that nothing sees the last run's state after a click.
  byId('train').disabled = true;
  byId('stop').disabled = false;
  page.document.body.dataset.run = String(Number(page.document.body.dataset.run ?? 0) + 1);
  setState('training');
  // The last run's results and files go; this run's replace them as each network finishes.
  byId('results').hidden = true;
  byId('download').hidden = true;
  byId('curves').hidden = true;
  byId('curve-list').replaceChildren();
  page.curves = {};
  plannedEpochs = Number(byId('epochs').value);
  const data = byId('data').value as DataKind;
  const pickle = data === 'pickle' && pickleFile !== undefined ? { name: pickleFile.name, bytes: new Uint8Array(await pickleFile.arrayBuffer()) } : undefined;
  const request: TrainRequest = {
    type: 'train',
    data,
    ...(pickle === undefined ? {} : { pickle }),
    models: byId('models').value.split(',') as ModelName[],
    threads: Number(byId('thread-count').value),
    epochs: Number(byId('epochs').value),
    patience: Number(byId('patience').value),
    learningRate: Number(byId('learning-rate').value),
    images: Number(byId('images').value),
    seed: 42,
  };
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
  void start();
});
// ?models=fc&threads=2&images=720&autostart sets the form and starts, for links and tests.
const query = new URLSearchParams(page.location.search);
for (const [param, id] of [
  ['data', 'data'],
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
clearPad();
setState('idle');
if (query.has('autostart')) void start();
