// AssemblyScript test kernels for the thread runtime (compiled at test time by compile_fixture.ts; the
// .as extension keeps tsc away from it). Raw loads and stores on memory owned by JS, no allocation, no
// strings: the module must carry no data segment. Trailing parameters are the ones the pool appends:
// parallelFor passes (lo, hi, thread), broadcast passes (thread, threads).

// Per-instance, so per-thread: each thread has its own instance of the module.
let tag: i32 = -1;
let sink: i32 = 0;

export function setTag(thread: i32, threads: i32): void {
  tag = thread;
}

export function getTag(): i32 {
  return tag;
}

// Each thread writes 100 + its index at base[thread] and records how many threads it was told about.
export function writeTag(base: usize, thread: i32, threads: i32): void {
  store<i32>(base + (<usize>thread << 2), 100 + thread);
  store<i32>(base + (<usize>(threads + thread) << 2), threads);
}

// y[i] += a * x[i] for i in [lo, hi).
export function axpy(a: f32, x: usize, y: usize, lo: i32, hi: i32): void {
  for (let i = lo; i < hi; i++) {
    const p = y + (<usize>i << 2);
    store<f32>(p, a * load<f32>(x + (<usize>i << 2)) + load<f32>(p));
  }
}

// Counts visits of each index atomically, notes which thread (and which instance tag) did it, and
// burns `spin` iterations per index so that several threads get a share.
export function markRange(counts: usize, owners: usize, spin: i32, lo: i32, hi: i32, thread: i32): void {
  for (let i = lo; i < hi; i++) {
    atomic.add<i32>(counts + (<usize>i << 2), 1);
    store<i32>(owners + (<usize>i << 2), thread * 1000 + tag);
    for (let k = 0; k < spin; k++) sink += k ^ i;
  }
}

export function empty(lo: i32, hi: i32): void {}

export function trapOnThread(which: i32, thread: i32, threads: i32): void {
  if (thread == which) unreachable();
}

export function trapInTask(which: i32, lo: i32, hi: i32): void {
  if (lo <= which && which < hi) unreachable();
}

// Thread `which` spins until *flag becomes non-zero: a hung kernel, for the stall watchdog.
export function hangOnThread(which: i32, flag: usize, thread: i32, threads: i32): void {
  if (thread != which) return;
  while (atomic.load<i32>(flag) == 0) sink++;
}
