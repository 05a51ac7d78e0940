import type * as tfl from '@tensorflow/tfjs-layers';
import { buildCnn } from './cnn.js';
import { buildFc } from './fc.js';

/** The networks the harness knows, in the order the notebook trains them. */
export const MODEL_NAMES = ['fc', 'cnn'] as const;
/** One of the notebook's two networks. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** Builds a fresh, uncompiled copy of the named network; a seed makes its initial weights repeatable. */
export function buildModel(name: ModelName, seed?: number): tfl.Sequential {
  return name === 'fc' ? buildFc(seed) : buildCnn(seed);
}

/** Whether the network takes images (NHWC 56x56x1) rather than flat 3136-pixel vectors. */
export function takesImages(name: ModelName): boolean {
  return name === 'cnn';
}
