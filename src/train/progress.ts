import type { EpochRecord } from './history.js';

/** Where training progress goes: a live bar on a terminal, a plain line per epoch otherwise. */
export interface Progress {
  /** Called after each training batch with the running means so far in this epoch. */
  batch(epoch: number, epochs: number, done: number, total: number, loss: number, acc: number, seconds: number): void;
  /** Called once per epoch with its final figures. */
  epoch(record: EpochRecord, epochs: number): void;
}

const BAR = 30;

/** Keras-like progress on a stream; the live bar is drawn only when `live`, by default when the stream is a terminal. */
export function streamProgress(stream: { write(text: string): unknown; isTTY?: boolean } = process.stdout, live = stream.isTTY === true): Progress {
  let lastDraw = 0;
  return {
    batch(epoch, epochs, done, total, loss, acc, seconds) {
      if (!live) return;
      const now = performance.now();
      if (done < total && now - lastDraw < 100) return;
      lastDraw = now;
      const filled = Math.round((BAR * done) / total);
      const bar = '='.repeat(Math.max(0, filled - 1)) + (done < total ? '>' : '=') + '.'.repeat(BAR - filled);
      const eta = done > 0 ? (seconds * (total - done)) / done : 0;
      stream.write(
        `\rEpoch ${epoch}/${epochs} ${String(done).padStart(String(total).length)}/${total} [${bar}]` +
          ` - ETA ${eta.toFixed(0)}s - loss: ${loss.toFixed(4)} - acc: ${acc.toFixed(4)}\x1b[K`,
      );
    },
    epoch(r, epochs) {
      if (live) stream.write('\r\x1b[K');
      stream.write(`${formatEpoch(r, epochs)}\n`);
    },
  };
}

/** One epoch as a line: `Epoch 3/30 - 12.1s - 1992 samples/s - loss: ... - val_acc: ...`. */
export function formatEpoch(r: EpochRecord, epochs: number): string {
  return (
    `Epoch ${r.epoch}/${epochs} - ${r.seconds.toFixed(1)}s - ${Math.round(r.samplesPerSecond)} samples/s` +
    ` - loss: ${r.loss.toFixed(4)} - acc: ${r.acc.toFixed(4)}` +
    ` - val_loss: ${r.valLoss.toFixed(4)} - val_acc: ${r.valAcc.toFixed(4)}`
  );
}

/** Progress that goes nowhere: `--quiet`, tests and benchmarks. */
export const silentProgress: Progress = { batch: () => {}, epoch: () => {} };
