import type { ModelName } from '../models/registry.js';
import type { TrainEvent } from '../train/events.js';

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
      return `split ${e.images} images: ${e.train} to train on, ${e.test} to test on (${e.seconds.toFixed(2)}s)`;
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
export function describeOutcome(
  tests: Extract<TrainEvent, { event: 'test' }>[],
  reduction: number | undefined,
  saved: Extract<TrainEvent, { event: 'saved' }>,
): string {
  const scores = tests.map((t) => `${t.model} ${(t.acc * 100).toFixed(2)} %`).join(', ');
  const compared = reduction === undefined ? '' : ` (error reduction ${reduction.toFixed(2)} %)`;
  return `test accuracy ${scores}${compared}; saved in ${saved.out}`;
}
