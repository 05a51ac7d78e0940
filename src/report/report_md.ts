import type { ModelName } from '../models/registry.js';
import type { Report, ReportModel } from '../train/report.js';

/** The pictures drawn for one model, as paths relative to `report.md`. */
export interface ModelPictures {
  curves: string;
  confusion: string;
  /** Null when the model got every test image right. */
  misclassified: string | null;
}

/** What `report.md` says about one model beyond `report.json`. */
export interface ModelExtras {
  /** The Keras-style summary table. */
  summary: string;
  pictures: ModelPictures;
  /** Wrongly classified test images, and how many of them the grid shows. */
  misclassifiedCount: number;
  misclassifiedShown: number;
}

const TITLES: Record<ModelName, string> = { fc: 'Fully connected model (fc)', cnn: 'Convolution model (cnn)' };

/** Renders the run as Markdown: run, data, each model (summary, epochs, test score, pictures), comparison. */
export function formatReportMd(report: Report, extras: Partial<Record<ModelName, ModelExtras>>): string {
  const lines: string[] = [`# Training run of ${report.createdAt}`, ''];
  lines.push('## Run', '');
  lines.push(`- date: ${report.createdAt}`);
  lines.push(`- configuration: \`${configFlags(report.config)}\``);
  lines.push(`- backend: ${report.backend.name} (tfjs backend \`${report.backend.tfjsName}\`, ${report.backend.threads} threads): ${report.backend.detail}`);
  lines.push(`- selection: \`${report.backend.selection}\``);
  const m = report.machine;
  lines.push(`- machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.platform}`, '');

  const d = report.data;
  lines.push('## Data', '');
  lines.push(`- source: ${d.source}`);
  lines.push(`- ${d.samples} images: ${d.train} for training, ${d.test} for validation and test (the same held-out split, as in the notebook)`);
  lines.push(`- preprocessed in ${d.preprocessSeconds.toFixed(2)} s (${Math.round(d.preprocessImagesPerSecond)} images/s)`, '');

  const names = (Object.keys(report.models) as ModelName[]).filter((n) => report.models[n] !== undefined);
  for (const name of names) lines.push(...modelSection(name, report.models[name]!, extras[name], d.test));
  lines.push(...comparison(report, names));
  return `${lines.join('\n')}\n`;
}

function modelSection(name: ModelName, r: ReportModel, extra: ModelExtras | undefined, testCount: number): string[] {
  const lines = [`## ${TITLES[name]}`, ''];
  lines.push(`${r.parameters.toLocaleString('en-US')} parameters; saved in \`${r.path}/\`.`, '');
  if (extra !== undefined) lines.push('```', extra.summary, '```', '');
  lines.push('| epoch | loss | acc | val_loss | val_acc | seconds | samples/s |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const e of r.history) {
    lines.push(
      `| ${e.epoch} | ${e.loss.toFixed(4)} | ${e.acc.toFixed(4)} | ${e.val_loss.toFixed(4)} | ${e.val_acc.toFixed(4)} | ` +
        `${e.seconds.toFixed(1)} | ${Math.round(e.samples_per_second)} |`,
    );
  }
  lines.push('');
  const epochs = r.history.length;
  lines.push(
    r.stoppedEarly
      ? `Stopped early after ${epochs} epoch${epochs === 1 ? '' : 's'}: val_loss had not improved for the patience window.`
      : `Ran ${epochs === 1 ? 'its one epoch' : `all ${epochs} epochs`} without stopping early.`,
  );
  lines.push(`Mean epoch time: ${meanSeconds(r).toFixed(1)} s.`, '');
  lines.push(`**Test loss: ${r.test.loss.toFixed(6)}, test accuracy: ${(r.test.acc * 100).toFixed(2)} %**`, '');
  if (extra === undefined) {
    lines.push('No pictures: the model was not in memory when the report was written.', '');
  } else {
    const p = extra.pictures;
    lines.push(`![${name} training curves](${p.curves})`, '');
    lines.push(`![${name} test-set confusion matrix](${p.confusion})`, '');
    if (p.misclassified === null) {
      lines.push(`No test image was misclassified.`, '');
    } else {
      lines.push(
        `${extra.misclassifiedCount} of ${testCount} test images misclassified; the first ${extra.misclassifiedShown} in test order:`,
        '',
        `![${name} misclassified test images](${p.misclassified})`,
        '',
      );
    }
  }
  return lines;
}

function comparison(report: Report, names: ModelName[]): string[] {
  if (names.length === 0) return [];
  const lines = ['## Comparison', ''];
  lines.push('| model | parameters | epochs | mean s/epoch | test loss | test accuracy |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const name of names) {
    const r = report.models[name]!;
    lines.push(
      `| ${name} | ${r.parameters.toLocaleString('en-US')} | ${r.history.length} | ${meanSeconds(r).toFixed(1)} | ` +
        `${r.test.loss.toFixed(6)} | ${(r.test.acc * 100).toFixed(2)} % |`,
    );
  }
  lines.push('');
  if (report.errorReduction !== null) {
    lines.push(`Error reduction: ${report.errorReduction.toFixed(2)} % (the share of the FC net's test errors the CNN removes).`, '');
  }
  return lines;
}

function meanSeconds(r: ReportModel): number {
  return r.history.length === 0 ? 0 : r.history.reduce((s, e) => s + e.seconds, 0) / r.history.length;
}

/** The configuration as the flags that would repeat the run. */
function configFlags(config: Report['config']): string {
  const flags: string[] = [];
  for (const [key, value] of Object.entries(config) as [string, unknown][]) {
    if (value === undefined) continue;
    const flag = key === 'models' ? 'model' : key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const text =
      key === 'models' && Array.isArray(value) && value.length > 1
        ? 'both'
        : Array.isArray(value)
          ? value.join(',')
          : typeof value === 'object' && value !== null
            ? JSON.stringify(value)
            : String(value);
    flags.push(`--${flag}=${text}`);
  }
  return flags.join(' ');
}
