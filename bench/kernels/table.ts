// The kernel table: how close each op of a training step comes to the per-thread FMA ceiling, on our backend
// with one thread and with all, against stock tfjs-wasm, with each network's kernel sum against its step.
import { availableParallelism, cpus, loadavg } from 'node:os';
import type { BackendName } from '../../src/backends/types.js';
import { parseFlags } from '../../src/cli/flags.js';
import { runCli } from '../../src/cli/run_cli.js';
import { usageError } from '../../src/cli/usage_error.js';
import { timeSteps } from '../step_runner.js';
import { NETWORK_OPS } from './network_ops.js';
import { type KernelColumn, measureColumn } from './table_cells.js';
import { formatKernelTable, type TableColumn } from './table_format.js';
import { type Network, opId } from './training_ops.js';

const BATCH = 128;

const HELP = `Time every op of both networks' training steps (batch ${BATCH}) on our wasm backend with one thread and with
all threads and on stock tfjs-wasm, each in a process of its own; print a markdown table of GFLOP/s or GB/s.

Usage: npx tsx bench/kernels/table.ts [--filter=TEXT] [--json] [--time=MS] [--quick] [--threads=N] [--batches=N]

  --filter=TEXT  only ops whose "network layer op" contains TEXT (e.g. cnn, conv2, RMSprop); a network's
                 step rows appear only when all its ops ran
  --json         print JSON instead of markdown
  --time=MS      tinybench time per op and column, at least 5 calls (default 300)
  --quick        --time=40, at least 3 calls per op and 3 timed steps: faster, noisier
  --threads=N    threads of the all-threads column (default: all cores, ${availableParallelism()})
  --batches=N    timed training steps per network and column, after two warm-up ones (default 10)
`;

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw usageError(`--${name} must be a positive integer, got "${text}"`);
  return value;
}

async function main(argv: string[]): Promise<void> {
  const parsed = parseFlags(argv, {
    filter: { type: 'string' },
    json: { type: 'boolean', default: false },
    time: { type: 'string' },
    quick: { type: 'boolean', default: false },
    threads: { type: 'string', default: String(availableParallelism()) },
    batches: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (parsed.help) return void process.stdout.write(HELP);
  const timeMs = positive('time', parsed.time ?? (parsed.quick ? '40' : '300'));
  const batches = positive('batches', parsed.batches ?? (parsed.quick ? '3' : '10'));
  const threads = positive('threads', parsed.threads);
  const filter = parsed.filter;
  const ops = NETWORK_OPS.filter((op) => filter === undefined || opId(op).replaceAll('|', ' ').includes(filter));
  if (ops.length === 0) throw usageError(`--filter="${filter}" matches no op; try fc, cnn, conv2, RMSprop or Relu`);
  const complete = (['fc', 'cnn'] as const).filter((n) => ops.filter((o) => o.network === n).length === NETWORK_OPS.filter((o) => o.network === n).length);

  const started = performance.now();
  const loads = [loadavg()[0]!];
  const plans: ReadonlyArray<{ label: string; backend: BackendName; threads: number }> = [
    { label: 'ours 1T', backend: 'wasm', threads: 1 },
    { label: `ours ${threads}T`, backend: 'wasm', threads },
    { label: 'stock 1T', backend: 'tfjs-wasm', threads: 1 },
  ];
  const columns: TableColumn[] = [];
  for (const plan of plans) {
    process.stderr.write(`${plan.label}: timing ${ops.length} ops\n`);
    const settings = { backend: plan.backend, threads: plan.threads, timeMs, minCalls: parsed.quick ? 3 : 5, batch: BATCH };
    // One process per network: the stock backend's heap, grown by the FC ops, ran out part-way through the CNN's.
    const result =
      filter === undefined
        ? mergeColumns(await measureColumn({ ...settings, filter: 'fc ' }), await measureColumn({ ...settings, filter: 'cnn ' }))
        : await measureColumn({ ...settings, filter });
    const steps: TableColumn['steps'] = {};
    for (const network of complete) {
      steps[network] = await timeSteps(plan.backend, network, { batches, threads: plan.threads, batchSize: BATCH });
      const step = steps[network]!;
      process.stderr.write(`${plan.label}: ${network} step: ${step.msPerBatch === undefined ? step.error : `${step.msPerBatch.toFixed(1)} ms`}\n`);
    }
    columns.push({ label: plan.label, result, steps });
    loads.push(loadavg()[0]!);
  }
  const seconds = (performance.now() - started) / 1000;

  if (parsed.json) {
    const opRows = ops.map((op) => ({
      id: opId(op),
      network: op.network,
      layer: op.layer,
      op: op.op,
      perStep: op.perStep,
      effective: op.effective,
      ...op.size(BATCH),
      cells: Object.fromEntries(columns.map((c) => [c.label, 'error' in c.result ? { note: c.result.error } : c.result.cells[opId(op)]])),
    }));
    const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism() };
    const out = {
      batch: BATCH,
      timeMs,
      batches,
      seconds,
      loads,
      machine,
      ceilingPerThread: 40,
      columns: columns.map(({ label, result, steps }) => ({
        label,
        ...('error' in result ? { error: result.error } : { detail: result.detail, threads: result.threads }),
        steps,
      })),
      ops: opRows,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const preamble = [
    `Kernel table, batch ${BATCH}: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}; ` +
      `tinybench ${timeMs} ms and at least ${parsed.quick ? 3 : 5} calls per op, ${batches} timed steps; took ${seconds.toFixed(0)} s.`,
    `Machine noise: 1-minute load average ${loads.map((l) => l.toFixed(2)).join(' -> ')} (start, then after each column).`,
  ];
  process.stdout.write(formatKernelTable({ batch: BATCH, ops, columns, complete: complete as Network[], preamble }));
}

await runCli(main);

/** One column from the per-network halves; an error in either half is the column's error. */
function mergeColumns(a: KernelColumn | { error: string }, b: KernelColumn | { error: string }): KernelColumn | { error: string } {
  if ('error' in a) return a;
  if ('error' in b) return b;
  return { ...a, cells: { ...a.cells, ...b.cells } };
}
