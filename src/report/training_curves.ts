import type { Canvas } from '@napi-rs/canvas';
import type { ReportEpoch } from '../train/report.js';
import { niceTicks, type Ticks } from './axis_ticks.js';
import { labelFont } from './label_font.js';
import { whiteCanvas } from './png.js';

type Ctx = ReturnType<typeof whiteCanvas>['ctx'];

/** One curve on a panel. */
interface Series {
  label: string;
  colour: string;
  dashed: boolean;
  values: number[];
}

const PANEL_WIDTH = 480;
const PANEL_HEIGHT = 340;
const MARGIN = { left: 70, right: 24, top: 40, bottom: 56 };
const TITLE_HEIGHT = 40;
// matplotlib's first two colours, which readers of the notebook's plots know.
const TRAIN_COLOUR = '#1f77b4';
const VAL_COLOUR = '#ff7f0e';

/** Loss and accuracy per epoch, training (solid) and validation (dashed), side by side in one picture. */
export function drawTrainingCurves(history: ReportEpoch[], title: string): Canvas {
  if (history.length === 0) throw new Error('training curves need at least one epoch');
  const { canvas, ctx } = whiteCanvas(2 * PANEL_WIDTH, TITLE_HEIGHT + PANEL_HEIGHT);
  ctx.fillStyle = '#000';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  ctx.font = labelFont(17, true);
  ctx.fillText(title, canvas.width / 2, 27);
  const epochs = history.map((h) => h.epoch);
  drawPanel(ctx, 0, TITLE_HEIGHT, 'loss (categorical cross-entropy)', epochs, [
    { label: 'train loss', colour: TRAIN_COLOUR, dashed: false, values: history.map((h) => h.loss) },
    { label: 'val loss', colour: VAL_COLOUR, dashed: true, values: history.map((h) => h.val_loss) },
  ]);
  drawPanel(ctx, PANEL_WIDTH, TITLE_HEIGHT, 'accuracy', epochs, [
    { label: 'train acc', colour: TRAIN_COLOUR, dashed: false, values: history.map((h) => h.acc) },
    { label: 'val acc', colour: VAL_COLOUR, dashed: true, values: history.map((h) => h.val_acc) },
  ]);
  return canvas;
}

function drawPanel(ctx: Ctx, x0: number, y0: number, yLabel: string, epochs: number[], series: Series[]): void {
  const plot = {
    left: x0 + MARGIN.left,
    top: y0 + MARGIN.top,
    width: PANEL_WIDTH - MARGIN.left - MARGIN.right,
    height: PANEL_HEIGHT - MARGIN.top - MARGIN.bottom,
  };
  const all = series.flatMap((s) => s.values);
  // A little room above and below so no point sits on the frame.
  const spread = Math.max(...all) - Math.min(...all);
  const yTicks = niceTicks(Math.min(...all) - spread * 0.04, Math.max(...all) + spread * 0.04);
  const xTicks = epochTicks(epochs);
  const inset = 14;
  const px = (epoch: number): number => plot.left + inset + ((epoch - xTicks.min) / (xTicks.max - xTicks.min)) * (plot.width - 2 * inset);
  const py = (v: number): number => plot.top + plot.height - ((v - yTicks.min) / (yTicks.max - yTicks.min)) * plot.height;

  ctx.strokeStyle = '#e4e4e4';
  ctx.lineWidth = 1;
  ctx.setLineDash([]);
  ctx.beginPath();
  for (const v of yTicks.values) {
    ctx.moveTo(plot.left, Math.round(py(v)) + 0.5);
    ctx.lineTo(plot.left + plot.width, Math.round(py(v)) + 0.5);
  }
  ctx.stroke();

  ctx.fillStyle = '#000';
  ctx.font = labelFont(12);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of yTicks.values) ctx.fillText(v.toFixed(yTicks.decimals), plot.left - 7, py(v));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const e of xTicks.values) ctx.fillText(String(e), px(e), plot.top + plot.height + 7);

  ctx.strokeStyle = '#000';
  ctx.strokeRect(plot.left + 0.5, plot.top + 0.5, plot.width, plot.height);

  ctx.font = labelFont(13);
  ctx.textBaseline = 'alphabetic';
  ctx.fillText('epoch', plot.left + plot.width / 2, plot.top + plot.height + 42);
  ctx.save();
  ctx.translate(x0 + 18, plot.top + plot.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(yLabel, 0, 0);
  ctx.restore();

  for (const s of series) {
    ctx.strokeStyle = s.colour;
    ctx.fillStyle = s.colour;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [7, 5] : []);
    ctx.beginPath();
    s.values.forEach((v, i) => {
      if (i === 0) ctx.moveTo(px(epochs[i]!), py(v));
      else ctx.lineTo(px(epochs[i]!), py(v));
    });
    ctx.stroke();
    ctx.setLineDash([]);
    s.values.forEach((v, i) => {
      ctx.beginPath();
      ctx.arc(px(epochs[i]!), py(v), 3.5, 0, 2 * Math.PI);
      ctx.fill();
    });
  }
  const points = series.flatMap((s) => s.values.map((v, i) => ({ x: px(epochs[i]!), y: py(v) })));
  drawLegend(ctx, plot, points, series);
}

/** Whole-epoch ticks: every epoch when few, else a round step; one epoch still gets a span to sit in. */
function epochTicks(epochs: number[]): Ticks {
  const first = Math.min(...epochs);
  const last = Math.max(...epochs);
  if (last === first) return { min: first - 1, max: first + 1, step: 1, values: [first - 1, first, first + 1].filter((e) => e >= 0), decimals: 0 };
  const t = niceTicks(first, last, Math.min(10, last - first));
  const step = Math.max(1, Math.round(t.step));
  const values: number[] = [];
  for (let e = Math.ceil(first / step) * step; e <= last; e += step) values.push(e);
  return { min: first, max: last, step, values, decimals: 0 };
}

/** A boxed key in whichever corner of the plot covers the fewest data points. */
function drawLegend(ctx: Ctx, plot: { left: number; top: number; width: number; height: number }, points: { x: number; y: number }[], series: Series[]): void {
  ctx.font = labelFont(12);
  const textWidth = Math.max(...series.map((s) => ctx.measureText(s.label).width));
  const width = 36 + textWidth + 12;
  const height = series.length * 18 + 8;
  const corners = [
    { left: plot.left + plot.width - 10 - width, top: plot.top + 10 },
    { left: plot.left + plot.width - 10 - width, top: plot.top + plot.height - 10 - height },
    { left: plot.left + 10, top: plot.top + 10 },
    { left: plot.left + 10, top: plot.top + plot.height - 10 - height },
  ];
  const covered = (c: { left: number; top: number }): number =>
    points.filter((p) => p.x > c.left - 8 && p.x < c.left + width + 8 && p.y > c.top - 8 && p.y < c.top + height + 8).length;
  const { left, top } = corners.reduce((best, c) => (covered(c) < covered(best) ? c : best));
  ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
  ctx.fillRect(left, top, width, height);
  ctx.strokeStyle = '#bbb';
  ctx.lineWidth = 1;
  ctx.setLineDash([]);
  ctx.strokeRect(left + 0.5, top + 0.5, width, height);
  series.forEach((s, i) => {
    const y = top + 13 + i * 18;
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [7, 5] : []);
    ctx.beginPath();
    ctx.moveTo(left + 8, y);
    ctx.lineTo(left + 32, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#000';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(s.label, left + 38, y);
  });
}
