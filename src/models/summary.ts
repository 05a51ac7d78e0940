import type * as tfl from '@tensorflow/tfjs-layers';

/** A Keras-style summary table: layer (type), output shape, parameters, then the totals. */
export function formatSummary(model: tfl.LayersModel): string {
  const rows = model.layers.map((layer) => [
    `${layer.name} (${layer.getClassName()})`,
    formatShape(layer.outputShape),
    layer.countParams().toLocaleString('en-US'),
  ]);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const widths = [0, 1, 2].map((c) => Math.max(header[c]!.length, ...rows.map((r) => r[c]!.length)) + 3);
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('')
      .trimEnd();
  const rule = (ch: string): string => ch.repeat(widths.reduce((a, b) => a + b, 0));
  const trainable = model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
  const total = model.countParams();
  return [
    `Model: "${model.name}"`,
    rule('_'),
    line(header),
    rule('='),
    ...rows.map(line),
    rule('='),
    `Total params: ${total.toLocaleString('en-US')}`,
    `Trainable params: ${trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`,
    rule('_'),
  ].join('\n');
}

function formatShape(shape: tfl.Shape | tfl.Shape[]): string {
  const one = (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
  return `(${one.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}
