import { DEFAULT_CONFIG } from '../../src/train/config.js';
import type { Report, ReportEpoch } from '../../src/train/report.js';

const epoch = (n: number, loss: number, acc: number, valLoss: number, valAcc: number, seconds: number): ReportEpoch => ({
  epoch: n,
  loss,
  acc,
  val_loss: valLoss,
  val_acc: valAcc,
  seconds,
  step_seconds: seconds * 0.9,
  validation_seconds: seconds * 0.07,
  samples_per_second: 24107 / seconds,
});

/** A report with the notebook's first FC epochs and scores, for checking what report.md prints. */
export function madeUpReport(): Report {
  return {
    version: 1,
    createdAt: '2026-11-24T17:00:00.000Z',
    config: { ...DEFAULT_CONFIG, backend: 'wasm', data: 'synthetic', out: 'runs/x', threads: 2 },
    data: { source: 'synthetic(samples=30134, seed=42)', samples: 30134, train: 24107, test: 6027, preprocessSeconds: 0.43, preprocessImagesPerSecond: 70079 },
    backend: { name: 'wasm', tfjsName: 'alnum-wasm', detail: 'our SIMD kernels', threads: 2, selection: 'backend: wasm (ours), chosen by request' },
    machine: { cpu: 'Test CPU @ 2.0GHz', cores: 2, node: 'v20.20.2', platform: 'linux-x64' },
    models: {
      fc: {
        parameters: 3305636,
        history: [epoch(1, 0.5486, 0.8342, 0.4278, 0.8578, 13.1), epoch(2, 0.4455, 0.8654, 0.4008, 0.8752, 12.3)],
        stoppedEarly: true,
        test: { loss: 0.37502, acc: 0.8766 },
        path: 'fc',
      },
      cnn: {
        parameters: 691688,
        history: [epoch(1, 0.9, 0.7, 0.62, 0.8485, 48.0)],
        stoppedEarly: false,
        test: { loss: 0.283652, acc: 0.928 },
        path: 'cnn',
      },
    },
    errorReduction: 41.666,
  };
}
