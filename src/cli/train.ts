import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from '../backends/select.js';
import { stockWasmTrainsConv } from '../backends/tfjs-wasm.js';
import { UserError } from '../util/user_error.js';
import { preprocess } from '../data/preprocess.js';
import { firstImages, loadSource } from '../data/source.js';
import type { ModelName } from '../models/registry.js';
import { checkpointDir, CheckpointWriter, readCheckpoint } from '../train/checkpoint.js';
import { identifyData } from '../train/data_identity.js';
import { TrainingDiverged } from '../train/divergence.js';
import { saveKerasH5 } from '../export/keras_h5.js';
import { writeRunReport, type ReportedModel } from '../report/write_run_report.js';
import { modelFolder, saveModel } from '../train/model_files.js';
import { describeMachine, errorReduction, reportEpoch, writeReport, type Report } from '../train/report.js';
import { resumeConfig } from '../train/resume_config.js';
import { trainModel } from '../train/train_model.js';
import { Interrupted, Interruption } from './interruption.js';
import { runCli } from './run_cli.js';
import { createTerminal, decideOutput } from './terminal.js';
import { parseOutputFlags, parseTrainArgs, TRAIN_HELP } from './train_args.js';

async function main(argv: string[]): Promise<void> {
  const commandLine = parseTrainArgs(argv);
  if (commandLine === 'help') return void process.stdout.write(TRAIN_HELP);
  const resumed = commandLine.resume === undefined ? undefined : await readCheckpoint(commandLine.resume);
  const config = resumed === undefined ? commandLine : resumeConfig(commandLine, resumed, commandLine.resume!);
  const terminal = createTerminal(decideOutput(parseOutputFlags(argv), process.stdout, process.stderr, process.env));
  const log = terminal.log;
  const out = config.out ?? join('runs', new Date().toISOString().replace(/[:.]/g, '-'));

  // The backend starts first, so that one that cannot start fails before minutes of data generation.
  // From here on a signal stops the run at a safe point instead of killing it mid-write.
  const interruption = new Interruption();
  // A resume starts the backend `auto` chose then: another one would round differently.
  const selection = await selectBackend(resumed?.backend.name ?? config.backend, { threads: config.threads });
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
      await interruption.race(
        loadSource({ data: config.data, samples: config.samples, seed: config.seed, threads: config.threads, onProgress: terminal.generationProgress() }),
      ),
      config.limit,
    );
    terminal.emit({ event: 'data', source: raw.source, images: raw.count, seconds: (performance.now() - loadStart) / 1000 });
    const data = await interruption.race(preprocess(raw, { testSplit: config.testSplit, seed: config.seed, threads: config.threads }));
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
    const identity = identifyData(raw.source, data);
    const checkpoint = new CheckpointWriter(
      checkpointDir(out),
      resumed ?? { version: 1, config, backend: { name: backend.name, threads: backend.threads }, data: identity, finished: {}, current: null, sequence: 0 },
    );
    if (resumed !== undefined && resumed.data.sha256 !== identity.sha256) {
      throw new UserError(`${checkpoint.dir} was written for other data than ${raw.source} now gives (its checksum differs); a resume needs the same data`);
    }
    // Every model trained or resumed, kept for the pictures drawn once the report is written.
    const drawn: ReportedModel[] = [];
    for (const name of models) {
      terminal.emit({ event: 'model', model: name });
      const earlier = checkpoint.finished[name];
      if (earlier !== undefined) {
        log(`trained before the interruption, saved in ${join(out, earlier.path)}/`);
        drawn.push({ name, model: await tfl.loadLayersModel(modelFolder(join(out, earlier.path))) });
        terminal.emit({ event: 'test', model: name, ...earlier.test, epochs: earlier.history.length, stoppedEarly: earlier.stoppedEarly });
        continue;
      }
      const t = await trainModel(name, data, config, terminal.progress(name), log, {
        out,
        writer: checkpoint,
        resume: resumed?.current?.name === name ? resumed.current : undefined,
        pauseRequested: () => interruption.requested,
        afterBatch: () => interruption.batchDone(),
      }).catch((error: unknown) => {
        if (!(error instanceof TrainingDiverged)) throw error;
        throw new UserError(`${name}: ${error.message}; the last good checkpoint is in ${checkpoint.dir}`);
      });
      if (t === 'interrupted') {
        process.stderr.write(`interrupted: checkpoint saved in ${checkpoint.dir}; resume with: npm run train -- --resume=${out}\n`);
        process.exitCode = interruption.exitCode;
        return;
      }
      terminal.emit({ event: 'test', model: name, ...t.test, epochs: t.fit.history.length, stoppedEarly: t.fit.stoppedEarly });
      // Saved as soon as trained, so that a checkpoint need only name it.
      await saveModel(t.model, join(out, t.name));
      await saveKerasH5(t.model, join(out, `${t.name}.h5`));
      drawn.push({ name, model: t.model });
      await checkpoint.finish(name, {
        parameters: t.model.countParams(),
        history: t.fit.history.map(reportEpoch),
        stoppedEarly: t.fit.stoppedEarly,
        test: t.test,
        path: t.name,
      });
    }
    const { fc, cnn } = checkpoint.finished;
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
      models: checkpoint.finished,
      errorReduction: reduction,
    };
    await writeReport(join(out, 'report.json'), report);
    // report.md comes last, so that it exists only once every file it links does.
    const written = await writeRunReport(out, report, drawn, data);
    await checkpoint.remove();
    terminal.emit({ event: 'saved', out, models: Object.fromEntries(Object.keys(checkpoint.finished).map((n) => [n, join(out, n)])), report: join(out, 'report.json'),
      keras: Object.fromEntries(Object.keys(checkpoint.finished).map((n) => [n, join(out, `${n}.h5`)])),
      pictures: written.slice(0, -1),
      page: written.at(-1)!,
    });
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    process.stderr.write(`interrupted by ${interruption.signal} before training began; nothing was written\n`);
    await backend.close();
    // Data generation threads would otherwise run on to the end before the process could exit.
    process.exit(interruption.exitCode);
  } finally {
    interruption.close();
    await backend.close();
  }
}

await runCli(main);
