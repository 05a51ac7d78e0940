import { join } from 'node:path';
import { selectBackend } from '../backends/select.js';
import { stockWasmTrainsConv } from '../backends/tfjs-wasm.js';
import { preprocess } from '../data/preprocess.js';
import { firstImages, loadSource } from '../data/source.js';
import type { ModelName } from '../models/registry.js';
import { saveModel } from '../train/model_files.js';
import { describeMachine, errorReduction, reportEpoch, writeReport, type Report } from '../train/report.js';
import { trainModel, type TrainedModel } from '../train/train_model.js';
import { runCli } from './run_cli.js';
import { createTerminal, decideOutput } from './terminal.js';
import { parseOutputFlags, parseTrainArgs, TRAIN_HELP } from './train_args.js';

async function main(argv: string[]): Promise<void> {
  const config = parseTrainArgs(argv);
  if (config === 'help') return void process.stdout.write(TRAIN_HELP);
  const terminal = createTerminal(decideOutput(parseOutputFlags(argv), process.stdout, process.stderr, process.env));
  const log = terminal.log;
  const out = config.out ?? join('runs', new Date().toISOString().replace(/[:.]/g, '-'));

  // The backend starts first, so that one that cannot start fails before minutes of data generation.
  const selection = await selectBackend(config.backend, { threads: config.threads });
  terminal.emit({
    event: 'backend',
    name: selection.backend.name,
    tfjsName: selection.backend.tfjsName,
    threads: selection.backend.threads,
    detail: selection.backend.detail,
    selection: selection.line,
  });
  const backend = selection.backend;
  try {
    const loadStart = performance.now();
    const raw = firstImages(
      await loadSource({ data: config.data, samples: config.samples, seed: config.seed, threads: config.threads, onProgress: terminal.generationProgress() }),
      config.limit,
    );
    terminal.emit({ event: 'data', source: raw.source, images: raw.count, seconds: (performance.now() - loadStart) / 1000 });
    const data = await preprocess(raw, { testSplit: config.testSplit, seed: config.seed, threads: config.threads });
    terminal.emit({
      event: 'preprocessed',
      images: raw.count,
      train: data.train.count,
      test: data.test.count,
      seconds: data.seconds,
      imagesPerSecond: data.imagesPerSecond,
      threads: config.threads,
    });

    let models: ModelName[] = config.models;
    if (backend.name === 'tfjs-wasm' && models.includes('cnn') && !stockWasmTrainsConv()) {
      terminal.emit({ event: 'warning', message: 'tfjs-wasm cannot train the CNN: the stock backend has no Conv2DBackpropFilter kernel; skipping cnn' });
      models = models.filter((m) => m !== 'cnn');
    }
    const trained: TrainedModel[] = [];
    for (const name of models) {
      terminal.emit({ event: 'model', model: name });
      const t = await trainModel(name, data, config, terminal.progress(name), log);
      terminal.emit({ event: 'test', model: name, ...t.test, epochs: t.fit.history.length, stoppedEarly: t.fit.stoppedEarly });
      trained.push(t);
    }
    const fc = trained.find((t) => t.name === 'fc');
    const cnn = trained.find((t) => t.name === 'cnn');
    const reduction = fc && cnn ? errorReduction(fc.test.acc, cnn.test.acc) : null;
    if (reduction !== null) terminal.emit({ event: 'error_reduction', percent: reduction });

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
    terminal.emit({ event: 'saved', out, models: Object.fromEntries(trained.map((t) => [t.name, join(out, t.name)])), report: join(out, 'report.json') });
  } finally {
    await backend.close();
  }
}

await runCli(main);
