import { join } from 'node:path';
import { selectBackend } from '../backends/select.js';
import { stockWasmTrainsConv } from '../backends/tfjs-wasm.js';
import { preprocess } from '../data/preprocess.js';
import { firstImages, loadSource } from '../data/source.js';
import type { ModelName } from '../models/registry.js';
import { saveModel } from '../train/model_files.js';
import { streamProgress } from '../train/progress.js';
import { describeMachine, errorReduction, reportEpoch, writeReport, type Report } from '../train/report.js';
import { trainModel, type TrainedModel } from '../train/train_model.js';
import { runCli } from './run_cli.js';
import { parseTrainArgs, TRAIN_HELP } from './train_args.js';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<void> {
  const config = parseTrainArgs(argv);
  if (config === 'help') return void process.stdout.write(TRAIN_HELP);
  const out = config.out ?? join('runs', new Date().toISOString().replace(/[:.]/g, '-'));

  // The backend starts first, so that one that cannot start fails before minutes of data generation.
  const selection = await selectBackend(config.backend, { threads: config.threads });
  log(selection.line);
  const backend = selection.backend;
  try {
    const loadStart = performance.now();
    const raw = firstImages(
      await loadSource({ data: config.data, samples: config.samples, seed: config.seed, threads: config.threads, onProgress: generationProgress() }),
      config.limit,
    );
    log(`data: ${raw.source}, ${raw.count} images, ready in ${((performance.now() - loadStart) / 1000).toFixed(1)}s`);
    const data = await preprocess(raw, { testSplit: config.testSplit, seed: config.seed, threads: config.threads });
    log(
      `preprocessed ${raw.count} images in ${data.seconds.toFixed(2)}s on ${config.threads} threads ` +
        `(${Math.round(data.imagesPerSecond)} images/s)`,
    );

    let models: ModelName[] = config.models;
    if (backend.name === 'tfjs-wasm' && models.includes('cnn') && !stockWasmTrainsConv()) {
      log('tfjs-wasm cannot train the CNN: the stock backend has no Conv2DBackpropFilter kernel; skipping cnn');
      models = models.filter((m) => m !== 'cnn');
    }
    const trained: TrainedModel[] = [];
    for (const name of models) {
      log(`\n# ${name === 'fc' ? 'Fully connected model' : 'Convolution model'}`);
      trained.push(await trainModel(name, data, config, streamProgress(), log));
    }
    const fc = trained.find((t) => t.name === 'fc');
    const cnn = trained.find((t) => t.name === 'cnn');
    const reduction = fc && cnn ? errorReduction(fc.test.acc, cnn.test.acc) : null;
    if (reduction !== null) log(`\nError reduction: ${reduction.toFixed(2)} %`);

    const report: Report = {
      version: 1,
      createdAt: new Date().toISOString(),
      config,
      data: {
        source: raw.source,
        samples: raw.count,
        train: data.train.count,
        test: data.test.count,
        preprocessSeconds: data.seconds,
        preprocessImagesPerSecond: data.imagesPerSecond,
      },
      backend: { name: backend.name, tfjsName: backend.tfjsName, detail: backend.detail, threads: backend.threads, selection: selection.line },
      machine: describeMachine(),
      models: {},
      errorReduction: reduction,
    };
    for (const t of trained) {
      await saveModel(t.model, join(out, t.name));
      report.models[t.name] = {
        parameters: t.model.countParams(),
        history: t.fit.history.map(reportEpoch),
        stoppedEarly: t.fit.stoppedEarly,
        test: t.test,
        path: t.name,
      };
    }
    await writeReport(join(out, 'report.json'), report);
    log(`saved ${trained.map((t) => `${join(out, t.name)}/`).join(', ')} and ${join(out, 'report.json')}`);
  } finally {
    await backend.close();
  }
}

/** A one-line generation counter on a terminal; nothing when piped (the data line follows anyway). */
function generationProgress(): ((done: number, total: number) => void) | undefined {
  if (process.stdout.isTTY !== true) return undefined;
  return (done, total) => {
    process.stdout.write(`\rgenerating the built-in data set: ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

await runCli(main);
