import type * as tfl from '@tensorflow/tfjs-layers';

/** Training blew up: a loss or a weight became NaN or infinite, so every later step would be meaningless. */
export class TrainingDiverged extends Error {
  override name = 'TrainingDiverged';

  constructor(
    readonly epoch: number,
    /** The batch within the epoch, from 1, when it is known. */
    readonly batch: number | undefined,
    what: string,
  ) {
    super(`${what} at epoch ${epoch}${batch === undefined ? '' : ` batch ${batch}`}`);
  }
}

/**
 * Throws `TrainingDiverged` when a batch's loss is not finite or the output layer's weights are not. The
 * loss alone is not enough: categorical cross-entropy clips probabilities, and on the WASM backends that
 * clip turns NaN into a finite loss of -ln(1e-7). The output layer is small and, through its gradient,
 * among the first to show a NaN, so this check costs next to nothing per batch.
 */
export function checkBatch(model: tfl.LayersModel, loss: number, epoch: number, batch: number): void {
  if (!Number.isFinite(loss)) throw new TrainingDiverged(epoch, batch, `loss became ${loss}`);
  const output = model.layers.at(-1);
  if (output !== undefined && !allFinite(output.getWeights())) throw new TrainingDiverged(epoch, batch, 'the weights became NaN or infinite');
}

/** Throws `TrainingDiverged` unless every weight is finite: a full pass (a few ms for the FC net), made before each checkpoint. */
export function checkAllWeights(model: tfl.LayersModel, epoch: number): void {
  if (!allFinite(model.getWeights())) throw new TrainingDiverged(epoch, undefined, 'the weights became NaN or infinite');
}

function allFinite(tensors: { dataSync(): ArrayLike<number> }[]): boolean {
  for (const tensor of tensors) {
    const values = tensor.dataSync();
    // x - x is 0 for every finite x and NaN for NaN and both infinities.
    for (let i = 0; i < values.length; i++) if (values[i]! - values[i]! !== 0) return false;
  }
  return true;
}
