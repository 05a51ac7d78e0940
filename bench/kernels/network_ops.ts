// Every op of one training step (trainStep at batch 128) of each network, layer by layer, with how many
// times a step calls it. The counts follow `bench/profile/step.profile.ts` on our backend; what is left out
// (loss, softmax, metrics: all on [128,36] tensors) shows up as the step time outside the kernels.

import { CNN_DENSE, CNN_POOLS, CNN_CONV_LAYERS as CONV_LAYERS, FC_LAYERS } from '../../test/support/kernels/network_shapes.js';
import * as mem from './memory_ops.js';
import { convPasses, denseGemms, type Network, type TrainingOp } from './training_ops.js';

/** A Dense layer's elementwise ops and updates around its GEMMs (bias and ReLU are in the forward GEMM). */
function denseExtras(
  network: Network,
  layer: string,
  [fanIn, fanOut]: readonly [number, number],
  activation: 'relu' | 'softmax',
  dropout: boolean,
): TrainingOp[] {
  const at = (shape: number[], perStep = 1): mem.Site => ({ network, layer, perStep, shape });
  return [
    ...(dropout ? [mem.dropoutForward(at([fanOut]), 0.5), mem.dropoutBackward(at([fanOut]), 0.5)] : []),
    // With ReLU the bias gradient comes out of ReLU's gradient pass.
    activation === 'relu' ? mem.reluGradBiasSum(at([fanOut])) : mem.biasGradSum(at([fanOut])),
    mem.rmspropUpdate(at([fanIn, fanOut]), 'kernel'),
    mem.rmspropUpdate(at([fanOut]), 'bias'),
  ];
}

function fcOps(): TrainingOp[] {
  const names = FC_LAYERS.map((_, i) => `fc${i + 1}`);
  const gemms = denseGemms('fc', names, FC_LAYERS, false);
  // tfjs computes no gradient towards the input, so the input dropout has only a forward pass.
  const input = [mem.dropoutForward({ network: 'fc', layer: 'input', perStep: 1, shape: [3136] }, 0.2)];
  return [
    ...input,
    ...FC_LAYERS.flatMap((dims, i) => {
      const layer = `${names[i]} ${dims[0]}x${dims[1]}`;
      const last = i === FC_LAYERS.length - 1;
      return [...gemms.filter((op) => op.layer === layer), ...denseExtras('fc', layer, dims, last ? 'softmax' : 'relu', i < 3)];
    }),
  ];
}

function cnnOps(): TrainingOp[] {
  const passes = convPasses(CONV_LAYERS);
  const input = [mem.dropoutForward({ network: 'cnn', layer: 'input', perStep: 1, shape: [56, 56, 1] }, 0.2)];
  const convs = CONV_LAYERS.flatMap(([side, cin, cout], i) => {
    const layer = `conv${i + 1} ${cin}->${cout}`;
    const out = side - 2;
    const at = (shape: number[]): mem.Site => ({ network: 'cnn', layer, perStep: 1, shape });
    const { pool, dropout } = CNN_POOLS[i]!;
    const pooled = pool === undefined ? out : Math.floor(out / pool);
    return [
      ...passes.filter((op) => op.layer === layer),
      // ReLU's gradient is taken with the bias gradient, or inside the pooling's gradient when a pool follows.
      ...(pool === undefined
        ? [mem.reluGradBiasSum(at([out, out, cout]))]
        : [mem.maxPool(at([out, out, cout]), pool), mem.maxPoolReluGrad(at([out, out, cout]), pool), mem.biasGradSum(at([out, out, cout]))]),
      ...(dropout ? [mem.dropoutForward(at([pooled, pooled, cout]), 0.5), mem.dropoutBackward(at([pooled, pooled, cout]), 0.5)] : []),
      mem.rmspropUpdate(at([3, 3, cin, cout]), 'kernel'),
      mem.rmspropUpdate(at([cout]), 'bias'),
    ];
  });
  const names = CNN_DENSE.map((_, i) => `dense${i + 1}`);
  // The flattened features' gradient feeds conv4's, so the first Dense layer's input gradient is computed.
  const gemms = denseGemms('cnn', names, CNN_DENSE, true);
  const dense = CNN_DENSE.flatMap((dims, i) => {
    const layer = `${names[i]} ${dims[0]}x${dims[1]}`;
    const last = i === CNN_DENSE.length - 1;
    return [...gemms.filter((op) => op.layer === layer), ...denseExtras('cnn', layer, dims, last ? 'softmax' : 'relu', !last)];
  });
  return [...input, ...convs, ...dense];
}

/** Every timed op of both networks' training steps, in step order within each network. */
export const NETWORK_OPS: readonly TrainingOp[] = [...fcOps(), ...cnnOps()];
