import { format } from 'node:util';
import type { ModelName } from '../models/registry.js';
import type { TrainEvent } from '../train/events.js';
import { type Progress, silentProgress, streamProgress } from '../train/progress.js';
import { palette, wantsColour } from './colour.js';
import { describeEvent, describeOutcome } from './train_events.js';

/** How `npm run train` talks, from its flags; kept out of `TrainConfig`, which is what the run trained. */
export interface OutputFlags {
  quiet: boolean;
  json: boolean;
  noColor: boolean;
}

/**
 * - `human`: everything, Keras-like, with a live bar on a terminal;
 * - `quiet`: warnings and errors on stderr, then one line with the test accuracies and where they were saved;
 * - `json`: one JSON object per line on stdout and nothing else there; warnings are events, errors stay on
 *   stderr (with the exit code), the narration (model summaries) goes nowhere.
 */
export type OutputStyle = 'human' | 'quiet' | 'json';

export interface OutputMode {
  style: OutputStyle;
  /** Redraw a progress bar and a generation counter in place: on a terminal that can, in human style only. */
  live: boolean;
  /** ANSI colour on stdout; never in JSON. */
  colour: boolean;
  /** ANSI colour on stderr, for warnings and errors. */
  errorColour: boolean;
}

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function decideOutput(flags: OutputFlags, stdout: Stream, stderr: Stream, env: NodeJS.ProcessEnv): OutputMode {
  const style: OutputStyle = flags.json ? 'json' : flags.quiet ? 'quiet' : 'human';
  return {
    style,
    live: style === 'human' && stdout.isTTY === true && env.TERM !== 'dumb',
    colour: style !== 'json' && wantsColour(stdout, env, flags.noColor),
    errorColour: wantsColour(stderr, env, flags.noColor),
  };
}

/** The one thing `src/cli/train.ts` prints through. */
export interface Terminal {
  /** Something happened that the user hears about in every style (each in its own form). */
  emit(event: TrainEvent): void;
  /** Narration, such as a model summary: human style only. */
  log(line: string): void;
  progress(model: ModelName): Progress;
  /** A counter while the built-in data set is generated, or undefined where it could not redraw itself. */
  generationProgress(): ((done: number, total: number) => void) | undefined;
}

export function createTerminal(mode: OutputMode, streams: { stdout: Stream; stderr: Stream } = process): Terminal {
  const { stdout, stderr } = streams;
  const out = palette(mode.colour);
  const warn = (message: string): void => void stderr.write(`${palette(mode.errorColour).warning('warning:')} ${message}\n`);

  if (mode.style === 'json') {
    // Libraries print banners with console.log (tfjs-node does); on stdout they would break the one-object-per-line promise.
    if (stdout === process.stdout) console.log = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);
    const write = (text: string): void => void stdout.write(text);
    return {
      // Epochs are among the events, so the progress output stays silent rather than print them twice.
      emit: (event) => write(`${JSON.stringify(event)}\n`),
      log: () => {},
      progress: () => silentProgress,
      generationProgress: () => undefined,
    };
  }

  if (mode.style === 'quiet') {
    const tests: Extract<TrainEvent, { event: 'test' }>[] = [];
    let reduction: number | undefined;
    return {
      emit(event) {
        if (event.event === 'warning') warn(event.message);
        else if (event.event === 'test') tests.push(event);
        else if (event.event === 'error_reduction') reduction = event.percent;
        else if (event.event === 'saved') stdout.write(`${out.result(describeOutcome(tests, reduction, event))}\n`);
      },
      log: () => {},
      progress: () => silentProgress,
      generationProgress: () => undefined,
    };
  }

  return {
    emit(event) {
      if (event.event === 'warning') return warn(event.message);
      const line = describeEvent(event);
      if (line === undefined) return;
      if (event.event === 'model') stdout.write(`\n${out.heading(line)}\n`);
      else if (event.event === 'error_reduction') stdout.write(`\n${out.result(line)}\n`);
      else stdout.write(`${line}\n`);
    },
    // `trainModel` words the test score itself; this is where its line gets the result colour.
    log: (line) => void stdout.write(`${line.startsWith('Test accuracy:') ? out.result(line) : line}\n`),
    progress: () => streamProgress(stdout, mode.live),
    generationProgress() {
      if (!mode.live) return undefined;
      return (done, total) => void stdout.write(`\rgenerating the built-in data set: ${done}/${total}${done === total ? '\n' : ''}`);
    },
  };
}
