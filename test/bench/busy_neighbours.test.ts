import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { startBusyNeighbours, withBusyNeighbours } from '../../bench/busy_neighbours.js';
import { formatSlowdownTable } from '../../bench/slowdown_table.js';

/** CPU time a process has used so far, in clock ticks (utime + stime of /proc/PID/stat). */
async function cpuTicks(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('busy neighbours burn CPU while they run and are gone once stopped', async () => {
  const neighbours = await startBusyNeighbours(2);
  expect(neighbours.pids).toHaveLength(2);
  const before = await Promise.all(neighbours.pids.map(cpuTicks));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const after = await Promise.all(neighbours.pids.map(cpuTicks));
  after.forEach((ticks, i) => {
    expect(ticks).toBeGreaterThan(before[i]!);
  });
  await neighbours.stop();
  expect(neighbours.pids.filter(alive)).toEqual([]);
});

test('withBusyNeighbours stops them when the work throws', async () => {
  let pids: readonly number[] = [];
  await expect(
    withBusyNeighbours(1, async (neighbours) => {
      pids = neighbours.pids;
      expect(pids.filter(alive)).toHaveLength(1);
      throw new Error('work failed');
    }),
  ).rejects.toThrow('work failed');
  expect(pids).toHaveLength(1);
  expect(pids.filter(alive)).toEqual([]);
});

test('refuses a negative count', async () => {
  await expect(startBusyNeighbours(-1)).rejects.toThrow(RangeError);
});

test('the slowdown table gives each load as a multiple of the time alone', () => {
  const table = formatSlowdownTable(
    [
      {
        model: 'fc',
        backend: 'wasm',
        msByNeighbours: new Map([
          [0, 30],
          [1, 50],
          [2, 54],
        ]),
      },
      {
        model: 'fc',
        backend: 'torch',
        msByNeighbours: new Map([
          [0, 28],
          [1, 48],
          [2, null],
        ]),
      },
    ],
    [0, 1, 2],
  );
  expect(table).toMatch(/fc\s+wasm\s+30\.0\s+50\.0 \(1\.67x\)\s+54\.0 \(1\.80x\)/);
  expect(table).toMatch(/fc\s+torch\s+28\.0\s+48\.0 \(1\.71x\)\s+-/);
});
