import { describe, expect, test } from 'vitest';
import { formatReportMd, type ModelExtras } from '../../src/report/report_md.js';
import { madeUpReport } from './made_up_report.js';

const extras = (name: string, misclassified: boolean): ModelExtras => ({
  summary: `Model: "${name}-summary"\nTotal params: 1`,
  pictures: { curves: `${name}_curves.png`, confusion: `${name}_confusion.png`, misclassified: misclassified ? `${name}_misclassified.png` : null },
  misclassifiedCount: misclassified ? 744 : 0,
  misclassifiedShown: misclassified ? 32 : 0,
});

describe('formatReportMd', () => {
  const md = formatReportMd(madeUpReport(), { fc: extras('fc', true), cnn: extras('cnn', false) });

  test('the run: date, flags, backend and its selection line, machine', () => {
    expect(md).toContain('2026-11-24T17:00:00.000Z');
    expect(md).toMatch(
      /`--backend=wasm --model=both --data=synthetic --epochs=30 --batch-size=128 --patience=2 .*--learning-rate=0.001 --out=runs\/x --threads=2`/,
    );
    expect(md).not.toContain('--limit');
    expect(md).toContain('alnum-wasm');
    expect(md).toContain('`backend: wasm (ours), chosen by request`');
    expect(md).toContain('Test CPU @ 2.0GHz, 2 cores, Node v20.20.2, linux-x64');
  });

  test('the data', () => {
    expect(md).toContain('synthetic(samples=30134, seed=42)');
    expect(md).toContain('30134 images: 24107 for training, 6027 for validation and test');
  });

  test('each model: summary, per-epoch rows, early stop, test score, pictures', () => {
    expect(md).toContain('```\nModel: "fc-summary"\nTotal params: 1\n```');
    expect(md).toContain('| 1 | 0.5486 | 0.8342 | 0.4278 | 0.8578 | 13.1 | 1840 |');
    expect(md).toContain('| 2 | 0.4455 | 0.8654 | 0.4008 | 0.8752 | 12.3 | 1960 |');
    expect(md).toContain('Stopped early after 2 epochs');
    expect(md).toContain('Ran its one epoch without stopping early');
    expect(md).toContain('Test loss: 0.375020, test accuracy: 87.66 %');
    expect(md).toContain('Test loss: 0.283652, test accuracy: 92.80 %');
    expect(md).toContain('![fc training curves](fc_curves.png)');
    expect(md).toContain('![cnn test-set confusion matrix](cnn_confusion.png)');
    expect(md).toContain('744 of 6027 test images misclassified; the first 32 in test order');
    expect(md).toContain('![fc misclassified test images](fc_misclassified.png)');
    expect(md).not.toContain('cnn_misclassified.png');
    expect(md).toContain('No test image was misclassified.');
  });

  test('the comparison, with the error reduction as the notebook prints it', () => {
    expect(md).toContain('| fc | 3,305,636 | 2 | 12.7 | 0.375020 | 87.66 % |');
    expect(md).toContain('| cnn | 691,688 | 1 | 48.0 | 0.283652 | 92.80 % |');
    expect(md).toContain('Error reduction: 41.67 %');
  });

  test('sections in order', () => {
    const at = (s: string): number => md.indexOf(s);
    expect(at('## Run')).toBeGreaterThan(0);
    expect(at('## Run')).toBeLessThan(at('## Data'));
    expect(at('## Data')).toBeLessThan(at('## Fully connected model (fc)'));
    expect(at('## Fully connected model (fc)')).toBeLessThan(at('## Convolution model (cnn)'));
    expect(at('## Convolution model (cnn)')).toBeLessThan(at('## Comparison'));
  });

  test('a model without extras is described without pictures', () => {
    const bare = formatReportMd(madeUpReport(), { fc: extras('fc', true) });
    expect(bare).toContain('Test loss: 0.283652, test accuracy: 92.80 %');
    expect(bare).toContain('No pictures: the model was not in memory');
    expect(bare).not.toContain('cnn_curves.png');
  });
});
