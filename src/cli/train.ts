#!/usr/bin/env node
import { runTraining } from '../train/run.js';
import { Interruption } from './interruption.js';
import { runCli } from './run_cli.js';
import { createTerminal, decideOutput } from './terminal.js';
import { parseOutputFlags, parseTrainArgs, TRAIN_HELP } from './train_args.js';

async function main(argv: string[]): Promise<void> {
  const config = parseTrainArgs(argv);
  if (config === 'help') return void process.stdout.write(TRAIN_HELP);
  const terminal = createTerminal(decideOutput(parseOutputFlags(argv), process.stdout, process.stderr, process.env));
  // Listening from before the backend starts: from here on a signal stops the run at a safe point instead
  // of killing it mid-write.
  const interruption = new Interruption();
  try {
    const outcome = await runTraining(config, {
      events: (event) => terminal.emit(event),
      signal: interruption.signal,
      log: (line) => terminal.log(line),
      progress: (model) => terminal.progress(model),
      generationProgress: terminal.generationProgress(),
      afterBatch: () => interruption.batchDone(),
    });
    if (outcome.status === 'interrupted') {
      process.stderr.write(`interrupted: checkpoint saved in ${outcome.checkpointDir}; resume with: npm run train -- --resume=${outcome.out}\n`);
      process.exitCode = interruption.exitCode;
    } else if (outcome.status === 'cancelled') {
      process.stderr.write(`interrupted by ${interruption.received} before training began; nothing was written\n`);
      // Data generation threads would otherwise run on to the end before the process could exit.
      process.exit(interruption.exitCode);
    }
  } finally {
    interruption.close();
  }
}

await runCli(main);
