// npm run bench:memory: peak resident memory of a one-epoch FC run against the size of the data set.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PIXELS } from '../../src/data/dataset.js';
import { generateSynthetic } from '../../src/data/synthetic/generate.js';

const HELP = `Peak resident memory (RSS) of one-epoch FC training runs, each a process of its own, at several
data set sizes, and how many bytes it grows by per pixel added between the smallest and largest size.

Usage: npm run bench:memory -- [--samples=LIST] [--source=LIST] [--seed=N] [--tsx]

  --samples=LIST  comma-separated data set sizes (default 30000,120000)
  --source=LIST   synthetic (the built-in set, from its cache, made first when missing) and/or
                  pickle (the same images written as a uint8 (N, 56, 56) numpy pickle, which needs
                  python3 with numpy; skipped with a note without it) (default synthetic,pickle)
  --seed=N        seed of the data, split and training (default 42)
  --tsx           run src/cli/train.ts through tsx, as npm run train does, instead of the package's
                  built JavaScript (dist/, rebuilt first); tsx's loading of h5wasm's 4 MB module costs
                  about 600 MiB more for a while, freed at a moment that varies, so peaks move by that much

Needs GNU time at /usr/bin/time, which reads the peak RSS of each run as the kernel counts it.
`;

const root = fileURLToPath(new URL('../../', import.meta.url));
const TIME = '/usr/bin/time';

interface Row {
  source: string;
  samples: number;
  /** Peak RSS in MiB, as GNU time's kilobytes (KiB) / 1024. */
  peakMib: number;
}

/** Runs one training process under GNU time and returns its peak RSS in MiB. */
async function peakRss(data: string, samples: number, seed: number, tsx: boolean): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'memory-bench-'));
  try {
    const rssFile = join(scratch, 'rss');
    const entry = tsx ? ['--import', 'tsx', 'src/cli/train.ts'] : ['dist/src/cli/train.js'];
    const args = ['-f', '%M', '-o', rssFile, process.execPath, ...entry];
    args.push(
      '--backend=wasm',
      '--model=fc',
      '--epochs=1',
      `--data=${data}`,
      `--samples=${samples}`,
      `--seed=${seed}`,
      `--out=${join(scratch, 'run')}`,
      '--quiet',
    );
    await runChecked(TIME, args, `the training run on ${data} (${samples} samples)`);
    return Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) / 1024;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes the built-in set's images and labels as the notebook's pickle of (X uint8 (N, 56, 56), y int64), with numpy. */
async function writePickle(pixels: Uint8Array, labels: Uint8Array, path: string): Promise<void> {
  const raw = `${path}.raw`;
  writeFileSync(`${raw}.x`, pixels);
  writeFileSync(`${raw}.y`, labels);
  const script = [
    'import pickle, sys, numpy as np',
    'raw, path = sys.argv[1], sys.argv[2]',
    'y = np.fromfile(raw + ".y", dtype=np.uint8).astype(np.int64)',
    'X = np.fromfile(raw + ".x", dtype=np.uint8).reshape(len(y), 56, 56)',
    'pickle.dump((X, y), open(path, "wb"))',
  ].join('\n');
  try {
    await runChecked('python3', ['-c', script, raw, path], `python3 writing ${path}`);
  } finally {
    rmSync(`${raw}.x`, { force: true });
    rmSync(`${raw}.y`, { force: true });
  }
}

/** Runs a command from the repository root, its output on stderr only, and fails unless it exits 0. */
async function runChecked(command: string, args: string[], what: string): Promise<void> {
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`${what} exited with ${code}`);
}

function numpyMissing(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    child.on('error', () => resolve(true));
    child.on('close', (code) => resolve(code !== 0));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      samples: { type: 'string', default: '30000,120000' },
      source: { type: 'string', default: 'synthetic,pickle' },
      seed: { type: 'string', default: '42' },
      tsx: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) return void process.stdout.write(HELP);
  if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed to read each run's peak RSS`);
  const sizes = values.samples.split(',').map(Number);
  const seed = Number(values.seed);
  let sources = values.source.split(',');
  for (const s of sources) if (s !== 'synthetic' && s !== 'pickle') throw new Error(`unknown source "${s}"`);
  if (sources.includes('pickle') && (await numpyMissing())) {
    process.stderr.write('skipped pickle: python3 cannot import numpy\n');
    sources = sources.filter((s) => s !== 'pickle');
  }
  // The package as users run it, built from the sources as they are now.
  if (values.tsx !== true) await runChecked(process.execPath, ['scripts/build_package.mjs'], 'the package build');
  const scratch = mkdtempSync(join(tmpdir(), 'memory-bench-data-'));
  const rows: Row[] = [];
  try {
    for (const samples of sizes) {
      // Made (or read from the cache) here, so that no measured run includes rendering.
      const set = await generateSynthetic({ samples, seed });
      const pickle = join(scratch, `train-${samples}.pkl`);
      if (sources.includes('pickle')) await writePickle(set.pixels as Uint8Array, set.labels, pickle);
      for (const source of sources) {
        const peakMib = await peakRss(source === 'pickle' ? pickle : 'synthetic', samples, seed, values.tsx === true);
        rows.push({ source, samples, peakMib });
        process.stdout.write(`${source} ${samples}: peak RSS ${peakMib.toFixed(0)} MiB\n`);
      }
      rmSync(pickle, { force: true });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write(`\n| source | ${sizes.map((n) => `${n} images`).join(' | ')} | bytes per added pixel |\n`);
  process.stdout.write(`| --- | ${sizes.map(() => '---').join(' | ')} | --- |\n`);
  for (const source of sources) {
    const mine = rows.filter((r) => r.source === source);
    const [first, last] = [mine[0]!, mine.at(-1)!];
    const slope = last.samples === first.samples ? NaN : ((last.peakMib - first.peakMib) * 2 ** 20) / ((last.samples - first.samples) * PIXELS);
    process.stdout.write(`| ${source} | ${mine.map((r) => `${r.peakMib.toFixed(0)} MiB`).join(' | ')} | ${slope.toFixed(2)} |\n`);
  }
}

await main();
