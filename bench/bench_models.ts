// The networks the epoch bench and the step profiler can time: the notebook's two, trained as the harness trains
// them (src/train/train_step.ts), and the zoo's three (test/support/models/zoo.ts), trained through tfjs-layers'
// `trainOnBatch`, the step `model.fit` runs for every batch, so they are timed as any tfjs program trains.
import type * as tf from '@tensorflow/tfjs-core';
import { IMAGE_SIZE, PIXELS } from '../src/data/dataset.js';
import { buildModel, MODEL_NAMES, type ModelName, takesImages } from '../src/models/registry.js';
import { compileForTraining } from '../src/train/compile.js';
import { trainStep } from '../src/train/train_step.js';
import { buildZooModel, isZooModel, ZOO_MODEL_NAMES, type ZooModelName, zooSampleShape } from '../test/support/models/zoo.js';

/** A network the benches time. */
export type BenchModel = ModelName | ZooModelName;

/** Names `--model` takes for several networks at once. */
const GROUPS: Readonly<Record<string, readonly BenchModel[]>> = {
  both: MODEL_NAMES,
  zoo: ZOO_MODEL_NAMES,
  all: [...MODEL_NAMES, ...ZOO_MODEL_NAMES],
};

/** The `--model` values the help texts list. */
export const BENCH_MODEL_CHOICES = [...MODEL_NAMES, ...ZOO_MODEL_NAMES, ...Object.keys(GROUPS)].join('|');

/** Reads `--model`: a comma-separated list of network and group names, in order, each network once. */
export function parseBenchModels(value: string): BenchModel[] {
  const models = value.split(',').flatMap((name) => {
    const group = GROUPS[name];
    if (group !== undefined) return group;
    if (isNotebookModel(name) || isZooModel(name)) return [name];
    throw new Error(`unknown model "${name}": choose from ${BENCH_MODEL_CHOICES}`);
  });
  return [...new Set(models)];
}

function isNotebookModel(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}

/** Shape of one sample the network takes: [56, 56, 1] or [3136]. */
export function benchSampleShape(name: BenchModel): number[] {
  if (isNotebookModel(name)) return takesImages(name) ? [IMAGE_SIZE, IMAGE_SIZE, 1] : [PIXELS];
  return zooSampleShape(name);
}

/** One training step on a fixed batch; resolves once its loss is on the host. */
export type BenchStep = () => Promise<unknown>;

/** Builds the named network with seeded weights and returns its training step on (xs, ys), and how to free it. */
export function makeBenchStep(name: BenchModel, xs: tf.Tensor, ys: tf.Tensor): { step: BenchStep; dispose: () => void } {
  if (isNotebookModel(name)) {
    const model = buildModel(name, 1);
    compileForTraining(model, 0.001);
    return { step: async () => trainStep(model, xs, ys), dispose: () => model.dispose() };
  }
  const model = buildZooModel(name, 1);
  return { step: () => model.trainOnBatch(xs, ys), dispose: () => model.dispose() };
}
