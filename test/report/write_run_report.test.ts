import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { openCpu } from '../../src/backends/cpu.js';
import { NUM_CLASSES } from '../../src/data/dataset.js';
import type { Prepared } from '../../src/data/preprocess.js';
import { type ReportedModel, writeRunReport } from '../../src/report/write_run_report.js';
import { madeUpReport } from './made_up_report.js';
import { decodePngFile } from './png_support.js';
import { litSplit, pixelVoteModel } from './tiny_models.js';

beforeAll(async () => {
  await openCpu();
});

/** A model as a run holds it after training. */
function trained(name: 'fc' | 'cnn', images: boolean): ReportedModel {
  return { name, model: pixelVoteModel(images) };
}

describe('writeRunReport', () => {
  test("writes each model's pictures and report.md last, all linked and no partial files left", async () => {
    // 40 test images: the first 36 light their own class's pixel, the last 4 light the next class's.
    const labels = Array.from({ length: 40 }, (_, i) => i % NUM_CLASSES);
    const lit = labels.map((l, i) => (i < 36 ? l : (l + 1) % NUM_CLASSES));
    const data: Prepared = { train: litSplit([0], [0]), test: litSplit(labels, lit), seconds: 0, imagesPerSecond: 0 };
    const out = join(mkdtempSync(join(tmpdir(), 'run-report-')), 'run');

    const report = madeUpReport();
    report.data.test = data.test.count;
    const files = await writeRunReport(out, report, [trained('fc', false), trained('cnn', true)], data);

    const names = ['fc_curves.png', 'fc_confusion.png', 'fc_misclassified.png', 'cnn_curves.png', 'cnn_confusion.png', 'cnn_misclassified.png'];
    expect(files).toEqual([...names.map((f) => join(out, f)), join(out, 'report.md')]);
    expect(readdirSync(out).sort()).toEqual([...names, 'report.md'].sort());
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const f of names) {
      expect(md).toContain(`](${f})`);
      const image = await decodePngFile(join(out, f));
      expect(image.width).toBeGreaterThan(300);
    }
    expect(md).toContain('4 of 40 test images misclassified; the first 4 in test order');
    expect(md).toContain('Model: "sequential');
    // The grid of 4 wrong images is one row of 4.
    const grid = await decodePngFile(join(out, 'fc_misclassified.png'));
    expect(grid.height).toBeLessThan(250);
  });

  test('a model that gets everything right gets no misclassified grid', async () => {
    const labels = Array.from({ length: 36 }, (_, i) => i);
    const data: Prepared = { train: litSplit([0], [0]), test: litSplit(labels, labels), seconds: 0, imagesPerSecond: 0 };
    const report = madeUpReport();
    delete report.models.cnn;
    const out = mkdtempSync(join(tmpdir(), 'run-report-'));
    const files = await writeRunReport(out, report, [trained('fc', false)], data);
    expect(files.map((f) => f.slice(out.length + 1))).toEqual(['fc_curves.png', 'fc_confusion.png', 'report.md']);
    expect(existsSync(join(out, 'fc_misclassified.png'))).toBe(false);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('No test image was misclassified.');
  });
});
