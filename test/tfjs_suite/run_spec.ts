// Runs one tfjs-core spec file under jasmine against one backend, in this process, and prints its result
// as one line after RESULT_MARK. One process per file: a crash or hang then costs one file, not the suite.
// Usage: npx tsx test/tfjs_suite/run_spec.ts <wasm|alnum-wasm> <threads> <file under @tensorflow/tfjs-core/dist>
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OWN_WASM } from '../../src/backends/types.js';
import { type FileResult, RESULT_MARK, type SpecResult, STOCK } from './results.js';

/** The part of jasmine 5's runner this file uses. */
interface JasmineRunner {
  exitOnCompletion: boolean;
  env: {
    configure(options: { random: boolean; stopOnSpecFailure: boolean }): void;
    clearReporters(): void;
    addReporter(reporter: Reporter): void;
  };
  execute(): Promise<unknown>;
}

interface JasmineResult {
  fullName: string;
  status: string;
  failedExpectations: Array<{ message: string }>;
}

interface Reporter {
  specDone(result: JasmineResult): void;
  suiteDone(result: JasmineResult): void;
  jasmineDone(result: { failedExpectations: Array<{ message: string }> }): void;
}

interface JasmineUtil {
  setTestEnvs(envs: Array<{ name: string; backendName: string; flags: object; isDataSync: boolean }>): void;
}

const [backend = '', threadsArg = '1', file = ''] = process.argv.slice(2);
const threads = Number(threadsArg);
if (![STOCK, OWN_WASM].includes(backend) || !Number.isInteger(threads) || threads < 1 || !file.endsWith('_test.js')) {
  throw new Error(`usage: run_spec.ts <${STOCK}|${OWN_WASM}> <threads> <spec file under @tensorflow/tfjs-core/dist>`);
}

const require = createRequire(import.meta.url);
// jasmine first: its constructor installs describe/it/expect as globals, which the spec files use.
const Jasmine = require('jasmine') as new (options: object) => JasmineRunner;
const runner = new Jasmine({});
runner.exitOnCompletion = false;
runner.env.configure({ random: false, stopOnSpecFailure: false });

// tfjs-core's ES-module build, which the specs import as '../index'. Its files are ES-module syntax in a
// package that is not "type": "module", with extensionless imports and './gradients' naming both a file and
// a folder, which Node's ES-module resolver refuses; require() goes through tsx's CommonJS hook instead. The
// chained ops and the gradients must be registered first or every gradient spec fails on every backend.
// This copy of tfjs-core and the one the backends import (tf-core.node.js) share one engine and registry
// through globals; tfjs only warns that the platform is set twice.
const dist = dirname(require.resolve('@tensorflow/tfjs-core/dist/index.js'));
require(join(dist, 'index.js'));
require(join(dist, 'public/chained_ops/register_all_chained_ops.js'));
require(join(dist, 'register_all_gradients.js'));
const jasmineUtil = require(join(dist, 'jasmine_util.js')) as JasmineUtil;

if (backend === OWN_WASM) {
  // As a user starts it, through the package's entry; every instance tfjs starts after its engine resets
  // gets threads with these options.
  const { useTrainingBackend } = await import('../../src/index.js');
  await useTrainingBackend({ threads });
} else {
  await import('@tensorflow/tfjs-backend-wasm');
}
// One env: describeWithFlags runs each top-level suite once, between an engine reset plus setBackend and
// another reset. isDataSync enables the specs for synchronous backends, as tfjs-backend-wasm's own setup does.
// Both backends get the same env name so the spec names match.
const ENV_NAME = 'wasm';
jasmineUtil.setTestEnvs([{ name: ENV_NAME, backendName: backend, flags: {}, isDataSync: true }]);

const specs: SpecResult[] = [];
const seen = new Map<string, number>();
const record = (name: string, status: string, failures: Array<{ message: string }>): void => {
  // describeWithFlags names a suite '<name> <env name> {}'.
  const plain = name.replaceAll(` ${ENV_NAME} {}`, '');
  const count = (seen.get(plain) ?? 0) + 1;
  seen.set(plain, count);
  const message = failures[0]?.message.split('\n')[0]?.slice(0, 300);
  specs.push({ name: count === 1 ? plain : `${plain} #${count}`, status, ...(message !== undefined ? { message } : {}) });
};
runner.env.clearReporters();
runner.env.addReporter({
  specDone: (r) => record(r.fullName, r.status, r.failedExpectations),
  // A failing beforeAll/afterAll is reported on its suite.
  suiteDone: (r) => {
    if (r.failedExpectations.length > 0) record(`${r.fullName} (suite)`, 'failed', r.failedExpectations);
  },
  jasmineDone: (r) => {
    if (r.failedExpectations.length > 0) record('(top level)', 'failed', r.failedExpectations);
  },
});

const result: FileResult = { file, backend, threads, specs };
try {
  require(join(dist, file));
  await runner.execute();
} catch (error) {
  result.error = `${error instanceof Error ? error.message : String(error)}`.split('\n')[0];
}
writeSync(1, `\n${RESULT_MARK}${JSON.stringify(result)}\n`);
// Kernel threads and tfjs's timers must not keep a finished file's process alive.
process.exit(0);
