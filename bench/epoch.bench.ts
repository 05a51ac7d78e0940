// npm run bench: epoch time of the notebook's networks (or others) on each backend, side by side, with ratios to stock tfjs-wasm and PyTorch.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES } from '../src/backends/types.js';
import { describeMachine } from '../src/train/report.js';
import { CHROMIUM } from '../web/chromium.js';
import { BENCH_MODEL_CHOICES, type BenchModel, parseBenchModels } from './bench_models.js';
import { BROWSER_BACKENDS, type BrowserBench, isBrowserBackend, openBrowserBench } from './browser_bench.js';
import { withBusyNeighbours } from './busy_neighbours.js';
import { type EpochRow, formatEpochTable } from './epoch_table.js';
import { formatSlowdownTable } from './slowdown_table.js';
import { median } from './stats.js';
import { type BenchBackend, type StepResult, timeSteps } from './step_runner.js';
import { TORCH_INSTALL_HINT, TORCH_PYTHON, torchMissing } from './torch_peer.js';

/** Training samples per epoch in the notebook: 80% of 30,134. */
const EPOCH_SAMPLES = 24_107;
const BENCH_BACKENDS: readonly BenchBackend[] = [...BACKEND_NAMES, 'torch', ...BROWSER_BACKENDS];

const HELP = `Time training steps of each network on each backend and extrapolate to the notebook's epoch.

Usage: npm run bench -- [--model=LIST] [--backend=LIST] [--batches=N] [--rounds=N] [--threads=N] [--neighbours=LIST] [--json=PATH]

  --model=LIST    comma-separated, from ${BENCH_MODEL_CHOICES} (default: both, the notebook's fc and cnn,
                  trained through the harness's own step); lenet, vgg and mlp are other networks built from
                  stock tfjs-layers layers (test/support/models/zoo.ts), trained through trainOnBatch as
                  model.fit trains them; zoo is those three, all is all five

  --backend=LIST  comma-separated, from ${BENCH_BACKENDS.join(', ')}
                  (default: wasm,tfjs-wasm,cuda,torch; cpu on request, it is slow; torch is the native
                  PyTorch peer, run when ${TORCH_PYTHON} can import torch, else skipped with a note;
                  browser is ours in headless Chromium (/usr/bin/chromium) on the page served
                  cross-origin isolated, browser-1t the same page served without isolation, its
                  one-thread fallback; skipped with a note when Chromium is missing; their rows give
                  their time as a multiple of wasm's)
  --batches=N     timed batches after two warm-up ones; the median is reported (default 10)
  --rounds=N      repeat the whole sweep N times, interleaved, and report the median of the rounds'
                  medians, so that load from other processes hits every backend alike (default 1)
  --threads=N     threads for multi-threaded backends and torch (default: all cores)
  --neighbours=LIST  also time every (model, backend) with that many CPU-bound neighbour processes
                  running on the same cores (started before each timing child, killed after it), e.g.
                  1,2; a second table gives each backend's step time under load as a multiple of its
                  time alone, measured in the same run (default: none)
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
      neighbours: { type: 'string', default: '0' },
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
  if (backends.some(isBrowserBackend) && !existsSync(CHROMIUM)) {
    process.stderr.write(
      `skipped ${backends.filter(isBrowserBackend).join(', ')}: ${CHROMIUM} is missing; install it with scripts/install_browser.sh (as root)\n`,
    );
    backends = backends.filter((b) => !isBrowserBackend(b));
  }
  const plan = { batches: Number(values.batches), threads: Number(values.threads), batchSize: Number(values['batch-size']) };
  // Each load is timed beside the time alone (0), interleaved, so a drift of the machine hits both alike.
  const loads = [...new Set([0, ...values.neighbours.split(',').map(Number)])].sort((a, b) => a - b);
  for (const n of loads) if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--neighbours takes whole numbers, not "${values.neighbours}"`);
  const stepsPerEpoch = Math.ceil(EPOCH_SAMPLES / plan.batchSize);

  // One build, two servers and one Chromium for the whole run; each browser row still gets a fresh page.
  const browser: BrowserBench | undefined = backends.some(isBrowserBackend) ? await openBrowserBench() : undefined;
  const time = (backend: BenchBackend, model: BenchModel): Promise<StepResult> =>
    isBrowserBackend(backend) ? browser!.timeSteps(backend, model, plan) : timeSteps(backend, model, plan);
  const runs = new Map<string, StepResult[]>();
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const model of models) {
      for (const backend of backends) {
        for (const load of loads) {
          const result = await withBusyNeighbours(load, () => time(backend, model));
          const key = runKey(model, backend, load);
          runs.set(key, [...(runs.get(key) ?? []), result]);
          const said = result.msPerBatch === undefined ? result.error : `${result.msPerBatch.toFixed(1)} ms/batch`;
          const busy = load === 0 ? '' : ` with ${load} busy neighbour${load === 1 ? '' : 's'}`;
          process.stderr.write(`  round ${round}: ${model} on ${backend}${busy}: ${said}\n`);
        }
      }
    }
  }
  await browser?.close();
  const rowAt = (model: BenchModel, backend: BenchBackend, load: number): EpochRow =>
    toRow(model, backend, runs.get(runKey(model, backend, load)) ?? [], stepsPerEpoch);
  const rows = models.flatMap((model) => backends.map((backend) => rowAt(model, backend, 0)));
  process.stdout.write(formatEpochTable(rows, plan.batchSize, EPOCH_SAMPLES));
  const underLoad = models.flatMap((model) =>
    backends.map((backend) => ({ model, backend, msByNeighbours: new Map(loads.map((n) => [n, rowAt(model, backend, n).msPerBatch])) })),
  );
  if (loads.length > 1) process.stdout.write(formatSlowdownTable(underLoad, loads));
  if (values.json !== undefined) {
    const results = rows.map(({ model, backend, msPerBatch, epochSeconds }) => ({ model, backend, msPerBatch, epochSeconds }));
    const neighbours = underLoad.flatMap(({ model, backend, msByNeighbours }) =>
      loads.filter((n) => n > 0).map((n) => ({ model, backend, neighbours: n, msPerBatch: msByNeighbours.get(n) ?? null })),
    );
    const machine = { ...describeMachine(), threads: plan.threads, batchSize: plan.batchSize };
    await writeFile(values.json, `${JSON.stringify({ results, ...(loads.length > 1 ? { neighbours } : {}), machine }, null, 2)}\n`);
  }
}

function runKey(model: BenchModel, backend: BenchBackend, load: number): string {
  return `${model} ${backend} ${load}`;
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
