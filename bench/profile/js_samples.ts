// Where the main thread spends its time between kernels, from V8's sampling profiler: a sample whose stack
// holds the kernel timer's wrapper frame is kernel time (already in the kernel table); the rest is tfjs-layers
// and engine bookkeeping, JS-side ops such as tfjs-core's randomUniform loop, and garbage collection.

import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';

/** Milliseconds of main-thread time attributed to one function or one area. */
export interface SampleRow {
  name: string;
  ms: number;
}

/** Main-thread time between kernels, broken down. */
export interface OutsideKernels {
  /** All sampled time whose stack holds no kernel frame. */
  totalMs: number;
  /** Self time by function, costliest first. */
  functions: SampleRow[];
  /** Self time by package or area (tfjs-core, tfjs-layers, gc...), costliest first. */
  areas: SampleRow[];
  /** Inclusive time of the functions asked for by name, e.g. randomUniform. */
  inclusive: SampleRow[];
}

/** Main-thread time inside kernel calls that is not kernel code: the backend's own per-call cost. */
export interface InsideKernels {
  /** All sampled time whose stack holds a kernel frame. */
  totalMs: number;
  /** Self time by area: wasm (kernel code run on the main thread), JS by package or project. */
  areas: SampleRow[];
  /** Self time of JS functions (not wasm), costliest first: bookkeeping, and the pool's fork-join waits. */
  functions: SampleRow[];
}

/** Runs `work` under V8's sampling profiler (100 µs interval) and returns the profile. */
export async function sampleCpu(work: () => Promise<void>): Promise<Profiler.Profile> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    await work();
    const { profile } = await session.post('Profiler.stop');
    return profile;
  } finally {
    session.disconnect();
  }
}

/** Splits a profile's samples outside any frame named `kernelFrame`, per `runs` repetitions of the work. */
export function outsideKernels(profile: Profiler.Profile, kernelFrame: string, runs: number, inclusiveNames: readonly string[]): OutsideKernels {
  const parent = new Map<number, number>();
  const byId = new Map<number, Profiler.ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const stackOf = (id: number): Profiler.ProfileNode[] => {
    const stack: Profiler.ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!);
    return stack;
  };
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>(inclusiveNames.map((name) => [name, 0]));
  let totalMs = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // A sample's delta is the time since the previous one; the next sample's delta is this one's duration.
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const stack = stackOf(samples[i]!);
    if (stack.some((node) => node.callFrame.functionName === kernelFrame)) continue;
    const top = stack[0]!.callFrame;
    if (top.functionName === '(idle)' || top.functionName === '(root)') continue;
    totalMs += ms;
    add(functions, `${top.functionName || '(anonymous)'} ${shortLocation(top)}`, ms);
    add(areas, areaOf(top), ms);
    const seen = new Set<string>();
    for (const node of stack) {
      const name = node.callFrame.functionName;
      if (inclusive.has(name) && !seen.has(name)) {
        seen.add(name);
        add(inclusive, name, ms);
      }
    }
  }
  const perRun = (map: Map<string, number>): SampleRow[] => [...map].map(([name, ms]) => ({ name, ms: ms / runs })).sort((a, b) => b.ms - a.ms);
  return { totalMs: totalMs / runs, functions: perRun(functions), areas: perRun(areas), inclusive: perRun(inclusive) };
}

/**
 * Splits the samples inside a frame named `kernelFrame`, per `runs` repetitions of the work. Waits for
 * kernel threads show as the pool's JS functions, and on a busy machine so does time the main thread was
 * not scheduled.
 */
export function insideKernels(profile: Profiler.Profile, kernelFrame: string, runs: number): InsideKernels {
  const parent = new Map<number, number>();
  const byId = new Map<number, Profiler.ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let totalMs = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const top = byId.get(samples[i]!)!.callFrame;
    let inside = false;
    for (let at: number | undefined = samples[i]; at !== undefined && !inside; at = parent.get(at)) {
      inside = byId.get(at)!.callFrame.functionName === kernelFrame;
    }
    if (!inside) continue;
    totalMs += ms;
    const area = areaOf(top);
    add(areas, area, ms);
    if (area !== 'wasm') add(functions, `${top.functionName || '(anonymous)'} ${shortLocation(top)}`, ms);
  }
  const perRun = (map: Map<string, number>): SampleRow[] => [...map].map(([name, ms]) => ({ name, ms: ms / runs })).sort((a, b) => b.ms - a.ms);
  return { totalMs: totalMs / runs, areas: perRun(areas), functions: perRun(functions) };
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function shortLocation(frame: Profiler.ProfileNode['callFrame']): string {
  if (frame.url === '') return '';
  const file = frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/work\/[^/]+\//, '');
  return `${file}:${frame.lineNumber + 1}`;
}

function areaOf(frame: Profiler.ProfileNode['callFrame']): string {
  if (frame.url === '') return frame.functionName.startsWith('(') ? frame.functionName : 'native';
  if (frame.url.startsWith('wasm://')) return 'wasm';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (pkg !== null) return pkg[1]!;
  if (frame.url.startsWith('node:')) return 'node';
  return 'project';
}
