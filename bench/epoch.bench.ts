// npm run bench: epoch time of the notebook's networks (or others) on each backend, side by side, with ratios to stock tfjs-wasm and PyTorch.
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES } from '../src/backends/types.js';
import { describeMachine } from '../src/train/report.js';
import { BENCH_MODEL_CHOICES, type BenchModel, parseBenchModels } from './bench_models.js';
import { type EpochRow, formatEpochTable } from './epoch_table.js';
import { median } from './stats.js';
import { type BenchBackend, type StepResult, timeSteps } from './step_runner.js';
import { TORCH_INSTALL_HINT, TORCH_PYTHON, torchMissing } from './torch_peer.js';

/** Training samples per epoch in the notebook: 80% of 30,134. */
const EPOCH_SAMPLES = 24_107;
const BENCH_BACKENDS: readonly BenchBackend[] = [...BACKEND_NAMES, 'torch'];

const HELP = `Time training steps of each network on each backend and extrapolate to the notebook's epoch.

Usage: npm run bench -- [--model=LIST] [--backend=LIST] [--batches=N] [--rounds=N] [--threads=N] [--json=PATH]

  --model=LIST    comma-separated, from ${BENCH_MODEL_CHOICES} (default: both, the notebook's fc and cnn,
                  trained through the harness's own step); lenet, vgg and mlp are other networks built from
                  stock tfjs-layers layers (test/support/models/zoo.ts), trained through trainOnBatch as
                  model.fit trains them; zoo is those three, all is all five

  --backend=LIST  comma-separated, from ${BENCH_BACKENDS.join(', ')}
                  (default: wasm,tfjs-wasm,cuda,torch; cpu on request, it is slow; torch is the native
                  PyTorch peer, run when ${TORCH_PYTHON} can import torch, else skipped with a note)
  --batches=N     timed batches after two warm-up ones; the median is reported (default 10)
  --rounds=N      repeat the whole sweep N times, interleaved, and report the median of the rounds'
                  medians, so that load from other processes hits every backend alike (default 1)
  --threads=N     threads for multi-threaded backends and torch (default: all cores)
  --json=PATH     also write {"results": [...], "machine": {...}}
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'both' },
      backend: { type: 'string', default: 'wasm,tfjs-wasm,cuda,torch' },
      batches: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '1' },
      threads: { type: 'string', default: String(availableParallelism()) },
      'batch-size': { type: 'string', default: '128' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) return void process.stdout.write(HELP);
  const models = parseBenchModels(values.model);
  let backends = values.backend.split(',') as BenchBackend[];
  for (const b of backends) if (!BENCH_BACKENDS.includes(b)) throw new Error(`unknown backend "${b}"`);
  if (backends.includes('torch')) {
    const missing = await torchMissing();
    if (missing !== null) {
      process.stderr.write(`skipped torch: ${TORCH_PYTHON} cannot import torch (${missing}); install with: ${TORCH_INSTALL_HINT}\n`);
      backends = backends.filter((b) => b !== 'torch');
    }
  }
  const plan = { batches: Number(values.batches), threads: Number(values.threads), batchSize: Number(values['batch-size']) };
  const stepsPerEpoch = Math.ceil(EPOCH_SAMPLES / plan.batchSize);

  const runs = new Map<string, StepResult[]>();
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const model of models) {
      for (const backend of backends) {
        const result = await timeSteps(backend, model, plan);
        runs.set(`${model} ${backend}`, [...(runs.get(`${model} ${backend}`) ?? []), result]);
        const said = result.msPerBatch === undefined ? result.error : `${result.msPerBatch.toFixed(1)} ms/batch`;
        process.stderr.write(`  round ${round}: ${model} on ${backend}: ${said}\n`);
      }
    }
  }
  const rows = models.flatMap((model) => backends.map((backend) => toRow(model, backend, runs.get(`${model} ${backend}`) ?? [], stepsPerEpoch)));
  process.stdout.write(formatEpochTable(rows, plan.batchSize, EPOCH_SAMPLES));
  if (values.json !== undefined) {
    const results = rows.map(({ model, backend, msPerBatch, epochSeconds }) => ({ model, backend, msPerBatch, epochSeconds }));
    const machine = { ...describeMachine(), threads: plan.threads, batchSize: plan.batchSize };
    await writeFile(values.json, `${JSON.stringify({ results, machine }, null, 2)}\n`);
  }
}

/** One table row from every round's result for a (model, backend): the median of the medians. */
function toRow(model: BenchModel, backend: BenchBackend, results: readonly StepResult[], stepsPerEpoch: number): EpochRow {
  const timed = results.filter((r) => r.msPerBatch !== undefined);
  if (timed.length === 0) return { model, backend, msPerBatch: null, epochSeconds: null, note: results[0]?.error ?? 'not run' };
  const ms = median(timed.map((r) => r.msPerBatch!));
  const min = Math.min(...timed.map((r) => r.minMs ?? Infinity));
  const max = Math.max(...timed.map((r) => r.maxMs ?? -Infinity));
  const rounds = timed.length > 1 ? `; ${timed.length} rounds` : '';
  return {
    model,
    backend,
    msPerBatch: ms,
    epochSeconds: (ms * stepsPerEpoch) / 1000,
    note: `${timed[0]!.detail}; min ${min.toFixed(1)} max ${max.toFixed(1)} ms${rounds}`,
  };
}

await main();
