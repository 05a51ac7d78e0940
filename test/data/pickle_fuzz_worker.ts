import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { NUM_CLASSES, PIXELS, type RawDataset } from '../../src/data/dataset.js';
import { PickleProblem } from '../../src/data/pickle/problem.js';
import { parsePickle } from '../../src/data/pickle.js';
import { UserError } from '../../src/util/user_error.js';

// Runs one loader case per message on its own thread, so that the fuzz test can give up on a case
// that hangs (and end this thread) instead of hanging itself. Allocation is measured here, where
// the ArrayBuffer count belongs to this thread's isolate alone.

/** A case to run: bytes to parse, or (to show the probe works) a plain allocation of that many bytes. */
export interface FuzzRequest {
  id: number;
  bytes: Uint8Array;
  name: string;
  /** Growth above this is measured again after collecting garbage, to report it exactly. */
  allowedBytes: number;
  allocateOnly?: boolean;
  /** Collect garbage first, so the figure is exact even when small. */
  exact?: boolean;
}

/** What happened: a valid data set, the loader's own refusal, or anything else (a finding). */
export interface FuzzResult {
  id: number;
  outcome: 'loaded' | 'refused' | 'wrong';
  /** The refusal's message, or what was wrong. */
  detail: string;
  /** Growth of this thread's ArrayBuffer memory while the result was still held. */
  allocatedBytes: number;
}

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function datasetProblem(data: RawDataset, name: string): string | undefined {
  if (!Number.isSafeInteger(data.count) || data.count <= 0) return `count ${data.count}`;
  if (data.source !== name) return `source ${data.source}`;
  if (data.pixels.length !== data.count * PIXELS) return `${data.pixels.length} pixels for ${data.count} images`;
  if (!(data.labels instanceof Uint8Array) || data.labels.length !== data.count) return `${data.labels.length} labels for ${data.count} images`;
  if (data.labels.some((label) => label >= NUM_CLASSES)) return 'a label outside 0..35';
  if (data.pixels instanceof Float32Array) {
    if (data.pixels.some((v) => !(v >= 0 && v <= 1))) return 'a float pixel outside [0, 1]';
  } else if (!(data.pixels instanceof Uint8Array)) {
    return 'pixels neither uint8 nor float32';
  }
  return undefined;
}

/** The loader's own refusal: a UserError of one sentence on one line naming the file, diagnosed by the loader itself. */
function refusalProblem(error: unknown, name: string): string | undefined {
  if (!(error instanceof UserError)) return `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  const { message } = error;
  if (!message.startsWith(`Cannot load ${name}: `) || !message.endsWith('.') || /[\r\n]/.test(message)) return `message ${message}`;
  // A UserError whose cause is not a PickleProblem is the loader's catch-all wrapped around an
  // exception from inside pickleparser or the runtime (TypeError, RangeError, stack overflow).
  if (!(error.cause instanceof PickleProblem)) {
    const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : String(error.cause);
    return `caught ${cause}`;
  }
  return undefined;
}

function run(request: FuzzRequest, precise: boolean): FuzzResult {
  const { id, bytes, name } = request;
  // Collecting first (twice: the previous messages' backing stores go on the second pass) makes the
  // figure exact; without it, garbage released during the case can only make the figure smaller.
  if (precise) {
    collect();
    collect();
  }
  const before = process.memoryUsage().arrayBuffers;
  // Measured while what was made is still referenced, so a collection cannot hide it.
  const grown = (): number => process.memoryUsage().arrayBuffers - before;
  if (request.allocateOnly === true) {
    const block = new Uint8Array(bytes.length * 1024);
    return { id, outcome: 'loaded', detail: `allocated ${block.length} bytes`, allocatedBytes: grown() };
  }
  try {
    const data = parsePickle(bytes, name);
    const allocatedBytes = grown();
    const problem = datasetProblem(data, name);
    return { id, outcome: problem === undefined ? 'loaded' : 'wrong', detail: problem ?? 'loaded', allocatedBytes };
  } catch (error) {
    const allocatedBytes = grown();
    const problem = refusalProblem(error, name);
    return { id, outcome: problem === undefined ? 'refused' : 'wrong', detail: problem ?? (error as Error).message, allocatedBytes };
  }
}

/** The fast measurement, repeated exactly when it comes out over the allowance: two full collections per case would triple the run time. */
function measured(request: FuzzRequest): FuzzResult {
  if (request.exact === true) return run(request, true);
  const quick = run(request, false);
  return quick.allocatedBytes > request.allowedBytes ? run(request, true) : quick;
}

parentPort?.on('message', (request: FuzzRequest) => parentPort?.postMessage(measured(request)));
