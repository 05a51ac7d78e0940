// The training page in a real browser: Debian's Chromium (scripts/install_browser.sh) driven by
// playwright-core. Served with the isolation headers, the page draws the built-in handwriting set and
// trains the FC net and the CNN for one epoch on our kernels and 2 threads, with Node's figures bit for bit
// on the same pixels; served without them, it trains on one thread and says so; Stop stops.
// Run with `npm run test:browser` (it builds the page first); screenshots go to runs/browser/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { BrowserContext, Page } from 'playwright-core';
import { CLASS_CHARS } from '../../src/data/dataset.js';
import { parsePickle } from '../../src/data/pickle_bytes.js';
import { shuffledLabels } from '../../src/data/synthetic/random.js';
import { renderChunk } from '../../src/data/synthetic/render.js';
import { useTrainingBackend } from '../../src/index.js';
import { classProbabilities } from '../../src/predict/classify.js';
import { loadTrained } from '../../src/predict/load_trained.js';
import { greyFromRgba, toTrainingImage } from '../../src/predict/training_image.js';
import { silentProgress } from '../../src/train/progress.js';
import { buildWeb, WEB_OUT_DIR } from '../../web/build.js';
import { launchChromium } from '../../web/chromium.js';
import type { EpochPoint, ModelResult, TrainerMessage } from '../../web/protocol.js';
import { serveWeb, type WebServer } from '../../web/server.js';
import { dataSplit, trainModel } from '../../web/train_model.js';

const SHOTS = join(import.meta.dirname, '..', '..', 'runs', 'browser');
/** 36 classes x 40: 1152 training and 288 test images, 9 training steps of 128. */
const IMAGES = 1440;
/** Of the handwriting set, which needs more than the bars to score clearly above chance in one epoch. */
const FONT_IMAGES = 2880;
const CHANCE = 1 / 36;
/** The seed the page uses. */
const SEED = 42;

let browser: BrowserContext;
let closeBrowser: (() => Promise<void>) | undefined;
const servers: WebServer[] = [];

before(async () => {
  await buildWeb();
  mkdirSync(SHOTS, { recursive: true });
  ({ browser, close: closeBrowser } = await launchChromium());
});

after(async () => {
  await closeBrowser?.();
  await Promise.all(servers.map((s) => s.close()));
});

/** Opens the page from a server with or without isolation headers, trains, and returns what the trainer said. */
async function trainIn(isolated: boolean, query: string, shot: string): Promise<{ page: Page; result: TrainerMessage; log: string }> {
  const server = await serveWeb({ dir: WEB_OUT_DIR, port: 0, isolated });
  servers.push(server);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Every request of the page and its workers, by origin: the page must need nothing but the local server.
  const origin = new URL(server.url).origin;
  const requests = { local: 0, elsewhere: [] as string[] };
  page.context().on('request', (request) => {
    const url = request.url();
    if (url.startsWith('blob:') || url.startsWith('data:')) return;
    if (new URL(url).origin === origin) requests.local++;
    else requests.elsewhere.push(url);
  });
  await page.goto(`${server.url}?threads=2&epochs=1&${query}`);
  // Expressions run in the page, where the DOM is; this project's TypeScript lib is Node's.
  await page.waitForFunction("document.body.dataset.state === 'idle'");
  assert.equal(await page.textContent('#isolated'), String(isolated));
  await page.click('#train');
  // The page's own state, not a fixed sleep: done or failed, whichever comes first.
  await page.waitForFunction("['done', 'failed'].includes(document.body.dataset.state)", null, { timeout: 240_000 });
  await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
  // And as a phone would show it.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SHOTS, `${shot}_phone.png`), fullPage: true });
  const log = (await page.textContent('#log')) ?? '';
  const result = await page.evaluate(() => (globalThis as unknown as { trainResult: TrainerMessage }).trainResult);
  assert.deepEqual(errors, [], 'no uncaught errors in the page');
  assert.ok(requests.local > 0, 'the request listener saw the page load');
  assert.deepEqual(requests.elsewhere, [], 'nothing fetched from anywhere but the local server');
  return { page, result, log };
}

test('cross-origin isolated: the handwriting set is drawn in the page, and FC and CNN learn it on 2 threads', { timeout: 300_000 }, async () => {
  const { page, result, log } = await trainIn(true, `data=fonts&models=fc,cnn&images=${FONT_IMAGES}`, 'fonts');
  assert.equal(result.type, 'done', log);
  if (result.type !== 'done') return;
  assert.equal(result.facts.threads, 2);
  for (const r of result.results) {
    assert.ok(r.valAcc > 1.5 * CHANCE, `${r.model} test accuracy ${r.valAcc} is not above chance`);
    // The results screen scores the test split again with its own predictions: the same accuracy as val_acc.
    const caption = await page.textContent(`#results-list figure[data-model="${r.model}"] > figcaption`);
    assert.equal(caption, `${r.model.toUpperCase()}: test accuracy ${(r.valAcc * 100).toFixed(1)} %`);
    assert.equal(await page.locator(`#results-list figure[data-model="${r.model}"] figure.grid figcaption`).count(), 16);
  }
  assert.match((await page.textContent('#reduction')) ?? '', /^Error reduction: -?[\d.]+ % /);
  await assertCurves(page, result.results);
  // The grid: 16 samples, labelled as Node labels the same seed, drawn close to Node's pixels (not equal:
  // Chromium's and @napi-rs/canvas's text rasterisers differ at the glyphs' edges).
  assert.equal(await page.locator('#samples figcaption').count(), 16);
  const samples = await page.evaluate(() => {
    const s = (globalThis as unknown as { trainSamples: { pixels: Uint8Array; labels: Uint8Array } }).trainSamples;
    return { pixels: [...s.pixels], labels: [...s.labels] };
  });
  const labels = shuffledLabels(FONT_IMAGES, 36, SEED).slice(0, 16);
  assert.deepEqual(samples.labels, [...labels]);
  const node = renderChunk({ seed: SEED, start: 0, labels });
  let same = 0;
  let diff = 0;
  for (const [i, v] of node.entries()) {
    same += v === samples.pixels[i] ? 1 : 0;
    diff += Math.abs(v - samples.pixels[i]!);
  }
  console.log(
    `fonts: ${result.results.map((r) => `${r.model} val_acc ${r.valAcc.toFixed(3)}`).join(', ')}; pixels equal to Node's: ${((100 * same) / node.length).toFixed(1)} %, mean difference ${(diff / node.length).toFixed(2)} levels`,
  );
  assert.ok(same / node.length > 0.7 && diff / node.length < 8, 'the page draws the samples as Node does, but for edges');

  // Draw an L with the mouse, as a user would, and read both networks' top 3.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator('#pad').scrollIntoViewIfNeeded();
  const pad = await page.locator('#pad').boundingBox();
  assert.ok(pad !== null);
  await page.mouse.move(pad.x + 50, pad.y + 25);
  await page.mouse.down();
  await page.mouse.move(pad.x + 50, pad.y + 140, { steps: 10 });
  await page.mouse.move(pad.x + 120, pad.y + 140, { steps: 10 });
  await page.mouse.up();
  await page.click('#predict');
  await page.waitForFunction("document.getElementById('prediction').textContent.includes('CNN:')");
  await page.locator('#draw').screenshot({ path: join(SHOTS, 'drawn.png') });
  const text = (await page.textContent('#prediction')) ?? '';
  assert.match(text, /^FC: [0-9A-Z] [\d.]+ %, [0-9A-Z] [\d.]+ %, [0-9A-Z] [\d.]+ %\nCNN: [0-9A-Z] [\d.]+ %, [0-9A-Z] [\d.]+ %, [0-9A-Z] [\d.]+ %$/);
  // The page converts the drawing with predict's own code; Node, given the same pixels, sees nearly the same image.
  const drawn = await page.evaluate(() => {
    const g = globalThis as unknown as {
      document: {
        querySelector(s: string): { width: number; height: number; getContext(t: string): { getImageData(...a: number[]): { data: Uint8ClampedArray } } };
      };
      lastPrediction: { image: Float32Array };
    };
    const canvas = g.document.querySelector('#pad');
    return {
      rgba: [...canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data],
      image: [...g.lastPrediction.image],
      width: canvas.width,
      height: canvas.height,
    };
  });
  const inNode = toTrainingImage(greyFromRgba(Uint8ClampedArray.from(drawn.rgba), drawn.width, drawn.height), 'the drawing');
  const gap = inNode.reduce((sum, v, i) => sum + Math.abs(v - drawn.image[i]!), 0) / inNode.length;
  console.log(`drawn L: ${text.replace('\n', '; ')}; conversion differs from Node's by ${(gap * 255).toFixed(2)} grey levels on average`);
  assert.ok(gap * 255 < 8, 'the drawing is converted as npm run predict converts it');

  // Download each network's two files as a user would, and load them in Node as `npm run predict` does:
  // the same probabilities for the drawing (on tfjs's cpu backend, so to float rounding).
  const saved = mkdtempSync(join(tmpdir(), 'alnum-downloads-'));
  try {
    await tf.setBackend('cpu');
    const guesses = await page.evaluate(
      () =>
        (globalThis as unknown as { lastPrediction: { guesses: { model: string; top: { char: string; probability: number }[] }[] } }).lastPrediction.guesses,
    );
    for (const { model, top } of guesses) {
      mkdirSync(join(saved, model));
      for (const file of ['model.json', 'weights.bin', `${model}.h5`]) {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#downloads a[data-model="${model}"][download="${file}"]`)]);
        await download.saveAs(join(saved, model, file));
      }
      // The tfjs folder and the Keras file, each as `npm run predict -- --model=...` loads it.
      for (const source of [join(saved, model), join(saved, model, `${model}.h5`)]) {
        const network = await loadTrained(source);
        const [probabilities] = classProbabilities(network, Float32Array.from(drawn.image), 1);
        network.model.dispose();
        for (const guess of top) {
          const p = probabilities![CLASS_CHARS.indexOf(guess.char)]!;
          assert.ok(Math.abs(p - guess.probability) < 1e-4, `${source} ${guess.char}: ${p} in Node, ${guess.probability} in the page`);
        }
      }
    }
  } finally {
    rmSync(saved, { recursive: true, force: true });
  }
});

test('cross-origin isolated: FC and CNN train one epoch on our kernels and 2 threads, as in Node bit for bit', { timeout: 300_000 }, async () => {
  const { page, result, log } = await trainIn(true, `data=bars&models=fc,cnn&images=${IMAGES}`, 'isolated');
  assert.equal(result.type, 'done', log);
  if (result.type !== 'done') return;
  assert.equal(await page.evaluate('self.crossOriginIsolated'), true);
  assert.equal(result.facts.crossOriginIsolated, true);
  assert.equal(result.facts.backend, 'alnum-wasm');
  assert.equal(result.facts.threads, 2);
  assert.equal(result.facts.fallback, undefined);
  // Our kernels ran, and most of their calls were split across both threads.
  assert.ok(result.facts.kernelCalls > 100, `kernel calls: ${result.facts.kernelCalls}`);
  assert.ok(result.facts.threadedCalls > result.facts.kernelCalls / 2, `threaded calls: ${result.facts.threadedCalls} of ${result.facts.kernelCalls}`);
  assert.deepEqual(
    result.results.map((r) => r.model),
    ['fc', 'cnn'],
  );
  for (const r of result.results) {
    assert.equal(r.epochs, 1);
    assert.ok(r.valAcc > 2 * CHANCE, `${r.model} test accuracy ${r.valAcc} is not above chance`);
  }
  assert.match(log, /Epoch 1\/1 - [\d.]+s - \d+ samples\/s - loss: [\d.]+ - acc: [\d.]+ - val_loss: [\d.]+ - val_acc: [\d.]+/);
  console.log(result.results.map((r) => `${r.model}: val_acc ${r.valAcc.toFixed(3)}, ${r.stepMs.toFixed(0)} ms a step`).join('; '));
  // The same kernels on the same threads give Node's figures bit for bit: the page ran this project's backend.
  const node = await trainInNode(['fc', 'cnn']);
  for (const [i, r] of result.results.entries()) {
    const n = node[i]!;
    assert.deepEqual([r.loss, r.acc, r.valLoss, r.valAcc], [n.loss, n.acc, n.valLoss, n.valAcc], `${r.model}: browser and Node differ`);
  }
  console.log(`Node: ${node.map((r) => `${r.model} ${r.stepMs.toFixed(0)} ms a step`).join(', ')}`);
});

/** Each network's curves hold one point per finished epoch, with the figures of the epoch lines, and both charts say so. */
async function assertCurves(page: Page, results: ModelResult[]): Promise<void> {
  const curves = await page.evaluate(() => (globalThis as unknown as { curves: Record<string, EpochPoint[]> }).curves);
  assert.deepEqual(
    Object.keys(curves),
    results.filter((r) => r.epochs > 0).map((r) => r.model),
  );
  for (const r of results) {
    const points = curves[r.model] ?? [];
    assert.deepEqual(
      points.map((p) => p.epoch),
      Array.from({ length: r.epochs }, (_, i) => i + 1),
      `${r.model}: one point per finished epoch`,
    );
    if (r.epochs === 0) continue;
    assert.deepEqual(Object.values(points.at(-1)!).slice(1), [r.loss, r.acc, r.valLoss, r.valAcc]);
    for (const metric of ['loss', 'accuracy']) {
      const shown = await page.getAttribute(`#curve-list figure[data-model="${r.model}"][data-metric="${metric}"]`, 'data-points');
      assert.equal(shown, String(r.epochs), `${r.model} ${metric} chart`);
    }
  }
}

/** The page's training, run in this Node process on the same backend and 2 threads. */
async function trainInNode(models: ('fc' | 'cnn')[]): Promise<ModelResult[]> {
  const backend = await useTrainingBackend({ threads: 2 });
  try {
    const { data } = await dataSplit('bars', IMAGES, SEED);
    const results: ModelResult[] = [];
    for (const name of models) {
      const { model, result } = await trainModel(name, data, { epochs: 1, patience: 3, learningRate: 0.001, seed: SEED }, silentProgress);
      model.dispose();
      results.push(result);
    }
    return results;
  } finally {
    await backend.close();
  }
}

test('without isolation headers the page trains on one thread and says so', { timeout: 300_000 }, async () => {
  const { page, result, log } = await trainIn(false, `data=bars&models=fc&images=${IMAGES}`, 'not_isolated');
  assert.equal(result.type, 'done', log);
  if (result.type !== 'done') return;
  assert.equal(result.facts.crossOriginIsolated, false);
  assert.equal(result.facts.backend, 'alnum-wasm');
  assert.equal(result.facts.threads, 1);
  assert.equal(result.facts.threadedCalls, 0);
  assert.ok(result.facts.kernelCalls > 10);
  assert.match((await page.textContent('#fallback')) ?? '', /one thread/);
  assert.ok(result.results[0]!.valAcc > 2 * CHANCE);
});

test('the stop button ends training at the next step, keeps the epochs finished and skips the next network', { timeout: 300_000 }, async () => {
  const server = await serveWeb({ dir: WEB_OUT_DIR, port: 0, isolated: true });
  servers.push(server);
  const page = await browser.newPage();
  await page.goto(`${server.url}?data=bars&models=fc,cnn&threads=2&epochs=50&patience=50&images=${IMAGES}`);
  await page.waitForFunction("document.body.dataset.state === 'idle'");
  await page.click('#train');
  // Three epoch lines first, so that the curves have lines to draw (an FC epoch of the bars takes about a second).
  await page.waitForFunction("document.getElementById('log').textContent.includes('Epoch 3/50 - ')", null, { timeout: 240_000 });
  await page.click('#stop');
  await page.waitForFunction("['done', 'failed'].includes(document.body.dataset.state)", null, { timeout: 240_000 });
  await page.screenshot({ path: join(SHOTS, 'stopped.png'), fullPage: true });
  await page.locator('#curves').screenshot({ path: join(SHOTS, 'curves.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#curves').screenshot({ path: join(SHOTS, 'curves_phone.png') });
  const result = await page.evaluate(() => (globalThis as unknown as { trainResult: TrainerMessage }).trainResult);
  assert.equal(result.type, 'done');
  if (result.type !== 'done') return;
  assert.equal(result.results.length, 1, 'the CNN does not start after a stop');
  const [fc] = result.results;
  assert.equal(fc!.ended, 'stopped');
  assert.ok(fc!.epochs >= 3 && fc!.epochs < 50, `epochs finished: ${fc!.epochs}`);
  assert.ok(fc!.valAcc > 2 * CHANCE);
  await assertCurves(page, result.results);
});

test("a user's train.pkl is read by the same safe loader: one trains, a hostile one gets Node's one-sentence refusal", { timeout: 300_000 }, async () => {
  const server = await serveWeb({ dir: WEB_OUT_DIR, port: 0, isolated: true });
  servers.push(server);
  const page = await browser.newPage();
  await page.goto(`${server.url}?models=fc&threads=2&epochs=1`);
  await page.waitForFunction("document.body.dataset.state === 'idle'");
  const fixtures = join(import.meta.dirname, '..', 'fixtures', 'pickles');
  for (const [file, ends] of [
    ['p5_numpy2_u1.pkl', 'done'],
    ['hostile_os_system_p2.pkl', 'failed'],
  ] as const) {
    await page.setInputFiles('#pickle', join(fixtures, file));
    assert.equal(await page.inputValue('#data'), 'pickle');
    await page.click('#train');
    await page.waitForFunction("['done', 'failed'].includes(document.body.dataset.state)", null, { timeout: 240_000 });
    assert.equal(await page.evaluate('document.body.dataset.state'), ends);
    const log = (await page.textContent('#log')) ?? '';
    if (ends === 'done') {
      assert.match(log, new RegExp(`Data: ${file}, .* 3 training and 1 test images`));
    } else {
      let refusal = '';
      try {
        parsePickle(readFileSync(join(fixtures, file)), file);
      } catch (error) {
        refusal = (error as Error).message;
      }
      assert.ok(refusal.length > 0);
      assert.ok(log.trimEnd().endsWith(`Failed: ${refusal}`), log);
    }
  }
  await page.screenshot({ path: join(SHOTS, 'pickle_refused.png'), fullPage: true });
});
