import type { ModelName } from '../models/registry.js';
import type { ReportEpoch } from '../train/report.js';

/**
 * What `npm run train` tells its user, as data: `--json` prints each event as one line, the human
 * output words it (`describeEvent`). Field names follow `report.json` (epochs under Keras's names).
 */
export type TrainEvent =
  | { event: 'backend'; name: string; tfjsName: string; threads: number; detail: string; selection: string }
  | { event: 'data'; source: string; images: number; seconds: number }
  | { event: 'preprocessed'; images: number; train: number; test: number; seconds: number; imagesPerSecond: number; threads: number }
  | { event: 'warning'; message: string }
  | { event: 'model'; model: ModelName }
  | ({ event: 'epoch'; model: ModelName; epochs: number } & ReportEpoch)
  | { event: 'test'; model: ModelName; loss: number; acc: number; epochs: number; stoppedEarly: boolean }
  | { event: 'error_reduction'; percent: number }
  | { event: 'saved'; out: string; models: Partial<Record<ModelName, string>>; report: string; keras: Partial<Record<ModelName, string>>; pictures: string[]; page: string };

const TITLES: Record<ModelName, string> = { fc: 'Fully connected model', cnn: 'Convolution model' };

/**
 * An event as the human output's line, or undefined for events a human sees another way: epochs are
 * drawn by the progress output and test scores are printed by `trainModel` itself.
 */
export function describeEvent(e: TrainEvent): string | undefined {
  switch (e.event) {
    case 'backend':
      return e.selection;
    case 'data':
      return `data: ${e.source}, ${e.images} images, ready in ${e.seconds.toFixed(1)}s`;
    case 'preprocessed':
      return (
        `preprocessed ${e.images} images in ${e.seconds.toFixed(2)}s on ${e.threads} threads ` +
        `(${Math.round(e.imagesPerSecond)} images/s)`
      );
    case 'warning':
      return e.message;
    case 'model':
      return `# ${TITLES[e.model]}`;
    case 'error_reduction':
      return `Error reduction: ${e.percent.toFixed(2)} %`;
    case 'saved':
      return `saved ${[...Object.values(e.models).map((p) => `${p}/`), ...Object.values(e.keras), e.report].join(', ')}, and ${e.pictures.length} pictures with ${e.page}`;
    case 'epoch':
    case 'test':
      return undefined;
  }
}

/** The one line `--quiet` prints: each model's test accuracy, the error reduction, where it all went. */
export function describeOutcome(tests: Extract<TrainEvent, { event: 'test' }>[], reduction: number | undefined, saved: Extract<TrainEvent, { event: 'saved' }>): string {
  const scores = tests.map((t) => `${t.model} ${(t.acc * 100).toFixed(2)} %`).join(', ');
  const compared = reduction === undefined ? '' : ` (error reduction ${reduction.toFixed(2)} %)`;
  return `test accuracy ${scores}${compared}; saved in ${saved.out}`;
}
