import { join } from 'node:path';
import type { Prepared } from '../data/preprocess.js';
import { type ModelName, takesImages } from '../models/registry.js';
import { formatSummary } from '../models/summary.js';
import type { Report } from '../train/report.js';
import type { TrainedModel } from '../train/train_model.js';
import { writeFileAtomic } from '../util/atomic_write.js';
import { drawConfusionHeatmap } from './confusion_heatmap.js';
import { confusionMatrix } from './confusion_matrix.js';
import { drawImageGrid } from './image_grid.js';
import { misclassifiedTiles } from './misclassified.js';
import { writePng } from './png.js';
import { predictSplit } from './predictions.js';
import { formatReportMd, type ModelExtras } from './report_md.js';
import { drawTrainingCurves } from './training_curves.js';

/** Misclassified images shown per model: four rows of eight. */
const MISCLASSIFIED_SHOWN = 32;

/** A model to draw pictures of: a `TrainedModel`, or one loaded back from its folder after a resume. */
export type ReportedModel = Pick<TrainedModel, 'name' | 'model'>;

/**
 * Writes each given model's pictures (training curves, test-set confusion matrix, misclassified test
 * images) into `out`, then `report.md` linking them, last so that it never points at a missing picture.
 * A model in the report but not given is described without pictures. Returns the files written, `report.md` last.
 */
export async function writeRunReport(out: string, report: Report, trained: ReportedModel[], data: Prepared): Promise<string[]> {
  const written: string[] = [];
  const extras: Partial<Record<ModelName, ModelExtras>> = {};
  const save = async (file: string, canvas: Parameters<typeof writePng>[1]): Promise<string> => {
    await writePng(join(out, file), canvas);
    written.push(join(out, file));
    return file;
  };
  for (const t of trained) {
    const entry = report.models[t.name];
    if (entry === undefined) continue;
    const predictions = predictSplit(t.model, data.test, takesImages(t.name));
    const curves = await save(`${t.name}_curves.png`, drawTrainingCurves(entry.history, `${t.name}: training curves`));
    const matrix = confusionMatrix(data.test.labels, predictions.predicted);
    const confusion = await save(
      `${t.name}_confusion.png`,
      drawConfusionHeatmap(matrix, `${t.name}: test-set confusion matrix (${data.test.count} images, accuracy ${(entry.test.acc * 100).toFixed(2)} %)`),
    );
    const wrong = countWrong(data.test.labels, predictions.predicted);
    const tiles = misclassifiedTiles(data.test, predictions, MISCLASSIFIED_SHOWN);
    const misclassified =
      tiles.length === 0
        ? null
        : await save(
            `${t.name}_misclassified.png`,
            drawImageGrid(tiles, { cols: 8, title: `${t.name}: ${tiles.length} of ${wrong} misclassified test images` }),
          );
    extras[t.name] = {
      summary: formatSummary(t.model),
      pictures: { curves, confusion, misclassified },
      misclassifiedCount: wrong,
      misclassifiedShown: tiles.length,
    };
  }
  const md = join(out, 'report.md');
  await writeFileAtomic(md, formatReportMd(report, extras));
  written.push(md);
  return written;
}

function countWrong(truth: Uint8Array, predicted: Uint8Array): number {
  let wrong = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] !== predicted[i]) wrong++;
  return wrong;
}
