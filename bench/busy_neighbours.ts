// CPU-bound neighbour processes for `npm run bench -- --neighbours=N`: the load a CI runner's or a laptop's
// other programs put on the same cores. Each is a node process spinning in a loop; they start before a
// timing child and are killed after it, so a backend's slowdown under load is measured side by side with
// its time alone.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A running set of busy neighbours. */
export interface BusyNeighbours {
  /** Their process ids, for a check that they run. */
  readonly pids: readonly number[];
  /** Kills them and waits until they have exited. */
  stop(): Promise<void>;
}

/** Starts `count` processes that each keep one core busy, and resolves once every one is running. */
export async function startBusyNeighbours(count: number): Promise<BusyNeighbours> {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`neighbours must be a whole number of at least 0, not ${count}`);
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }),
    );
  };
  try {
    for (let i = 0; i < count; i++) {
      // The child says it runs before it starts spinning, so timing never begins on a machine still idle.
      const child = spawn(process.execPath, ['-e', 'process.stdout.write("spinning\\n"); for (;;) {}'], { stdio: ['ignore', 'pipe', 'ignore'] });
      children.push(child);
      await Promise.race([
        once(child.stdout!, 'data'),
        once(child, 'exit').then(() => {
          throw new Error('a busy neighbour exited before it started spinning');
        }),
      ]);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { pids: children.map((c) => c.pid!), stop };
}

/** Runs `work` with `count` busy neighbours on the machine, and stops them however it ends. */
export async function withBusyNeighbours<T>(count: number, work: (neighbours: BusyNeighbours) => Promise<T>): Promise<T> {
  const neighbours = await startBusyNeighbours(count);
  try {
    return await work(neighbours);
  } finally {
    await neighbours.stop();
  }
}
