// npm run bench: epoch time of both networks on each backend, side by side, with ratios to stock tfjs-wasm.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs, promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { BACKEND_NAMES, type BackendName } from '../src/backends/types.js';
import { MODEL_NAMES, type ModelName } from '../src/models/registry.js';
import { describeMachine } from '../src/train/report.js';

const run = promisify(execFile);
/** Training samples per epoch in the notebook: 80% of 30,134. */
const EPOCH_SAMPLES = 24_107;

const HELP = `Time training steps of each network on each backend and extrapolate to the notebook's epoch.

Usage: npm run bench -- [--model=fc|cnn|both] [--backend=LIST] [--batches=N] [--threads=N] [--json=PATH]

  --backend=LIST  comma-separated backends (default: wasm,tfjs-wasm,cuda; cpu on request, it is slow)
  --batches=N     timed batches after two warm-up ones; the median is reported (default 10)
  --threads=N     threads for multi-threaded backends (default: all cores)
  --json=PATH     also write {"results": [...], "machine": {...}}
`;

interface Row {
  model: ModelName;
  backend: BackendName;
  msPerBatch: number | null;
  epochSeconds: number | null;
  note: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'both' },
      backend: { type: 'string', default: 'wasm,tfjs-wasm,cuda' },
      batches: { type: 'string', default: '10' },
      threads: { type: 'string', default: String(availableParallelism()) },
      'batch-size': { type: 'string', default: '128' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) return void process.stdout.write(HELP);
  const models = values.model === 'both' ? [...MODEL_NAMES] : [values.model as ModelName];
  const backends = values.backend.split(',') as BackendName[];
  for (const b of backends) if (!BACKEND_NAMES.includes(b)) throw new Error(`unknown backend "${b}"`);
  const batchSize = Number(values['batch-size']);
  const stepsPerEpoch = Math.ceil(EPOCH_SAMPLES / batchSize);

  const rows: Row[] = [];
  for (const model of models) {
    for (const backend of backends) {
      const script = fileURLToPath(new URL('./train_step.ts', import.meta.url));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', script, backend, model, values.batches, values.threads, String(batchSize)], {
        maxBuffer: 1 << 20,
      });
      const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { msPerBatch?: number; error?: string; detail?: string; minMs?: number; maxMs?: number };
      const ms = result.msPerBatch ?? null;
      rows.push({
        model,
        backend,
        msPerBatch: ms,
        epochSeconds: ms === null ? null : (ms * stepsPerEpoch) / 1000,
        note: result.error ?? `${result.detail}; min ${result.minMs?.toFixed(1)} max ${result.maxMs?.toFixed(1)} ms`,
      });
      process.stderr.write(`  ${model} on ${backend}: ${ms === null ? result.error : `${ms.toFixed(1)} ms/batch`}\n`);
    }
  }
  printTable(rows, batchSize);
  if (values.json !== undefined) {
    const results = rows.map(({ model, backend, msPerBatch, epochSeconds }) => ({ model, backend, msPerBatch, epochSeconds }));
    await writeFile(values.json, `${JSON.stringify({ results, machine: { ...describeMachine(), threads: Number(values.threads), batchSize } }, null, 2)}\n`);
  }
}

function printTable(rows: Row[], batchSize: number): void {
  const out: string[][] = [['model', 'backend', 'ms/batch', 'epoch s', 'speed vs tfjs-wasm', 'notes']];
  for (const r of rows) {
    const stock = rows.find((s) => s.model === r.model && s.backend === 'tfjs-wasm')?.msPerBatch ?? null;
    const ratio = r.msPerBatch !== null && stock !== null ? `${(stock / r.msPerBatch).toFixed(2)}x` : '-';
    out.push([r.model, r.backend, r.msPerBatch?.toFixed(1) ?? '-', r.epochSeconds?.toFixed(1) ?? '-', ratio, r.note]);
  }
  const widths = out[0]!.map((_, c) => Math.max(...out.map((row) => row[c]!.length)));
  process.stdout.write(`\nbatch ${batchSize}, epoch = ${EPOCH_SAMPLES} samples; medians\n`);
  for (const row of out) process.stdout.write(`${row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}\n`);
}

await main();
