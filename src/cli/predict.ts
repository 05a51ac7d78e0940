#!/usr/bin/env node
import { selectBackend } from '../backends/select.js';
import { loadTrained } from '../predict/load_trained.js';
import { predictInput } from '../predict/predict_input.js';
import { PREDICT_HELP, parsePredictArgs } from './predict_args.js';
import { runCli } from './run_cli.js';

async function main(argv: string[]): Promise<void> {
  const config = parsePredictArgs(argv);
  if (config === 'help') return void process.stdout.write(PREDICT_HELP);
  const selection = await selectBackend(config.backend, { threads: config.threads });
  process.stdout.write(`${selection.line}\n`);
  try {
    const network = await loadTrained(config.model);
    const lines = await predictInput(network, config.input, config.limit);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await selection.backend.close();
  }
}

await runCli(main);
