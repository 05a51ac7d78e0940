import type { Canvas } from '@napi-rs/canvas';
import { CLASS_CHARS } from '../data/dataset.js';
import { blue, needsLightText } from './colour_scale.js';
import { type ConfusionMatrix, rowTotal } from './confusion_matrix.js';
import { labelFont } from './label_font.js';
import { whiteCanvas } from './png.js';

/** Where the cells lie, so tests can read a cell's colour: cell (row, col) starts at (left + col*cell, top + row*cell). */
export const HEATMAP_GEOMETRY = { left: 78, top: 84, cell: 22 } as const;

const { left: LEFT, top: TOP, cell: CELL } = HEATMAP_GEOMETRY;
const BAR_WIDTH = 18;
const BAR_GAP = 24;
const RIGHT = 120;
const BOTTOM = 64;

/**
 * Draws the matrix as a heat map: rows are true classes, columns predicted ones, each labelled with its
 * character; a cell's shade is its share of the row (so rare and common classes read alike), its number the count.
 */
export function drawConfusionHeatmap(m: ConfusionMatrix, title: string): Canvas {
  const n = m.classes;
  const gridSide = n * CELL;
  const { canvas, ctx } = whiteCanvas(LEFT + gridSide + RIGHT, TOP + gridSide + BOTTOM);

  ctx.fillStyle = '#000';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  ctx.font = labelFont(16, true);
  ctx.fillText(title, canvas.width / 2, 26);
  ctx.font = labelFont(12);
  ctx.fillText('shade: share of the true class (row); number: count of test images', canvas.width / 2, 46);

  for (let row = 0; row < n; row++) {
    const total = rowTotal(m, row);
    for (let col = 0; col < n; col++) {
      const count = m.counts[row * n + col]!;
      const share = total === 0 ? 0 : count / total;
      const x = LEFT + col * CELL;
      const y = TOP + row * CELL;
      ctx.fillStyle = count === 0 ? '#fff' : blue(share);
      ctx.fillRect(x, y, CELL, CELL);
      if (count > 0) {
        ctx.fillStyle = needsLightText(share) ? '#fff' : '#000';
        ctx.font = labelFont(fittingSize(ctx, String(count)));
        ctx.textBaseline = 'middle';
        ctx.fillText(String(count), x + CELL / 2, y + CELL / 2 + 1);
      }
    }
  }
  drawGridLines(ctx, n);
  drawAxes(ctx, n);
  drawColourBar(ctx, LEFT + gridSide + BAR_GAP, TOP, gridSide);
  return canvas;
}

type Ctx = ReturnType<typeof whiteCanvas>['ctx'];

/** The largest font, from 10 px down, at which a count fits inside its cell. */
function fittingSize(ctx: Ctx, text: string): number {
  for (let px = 10; px > 5; px--) {
    ctx.font = labelFont(px);
    if (ctx.measureText(text).width <= CELL - 3) return px;
  }
  return 5;
}

function drawGridLines(ctx: Ctx, n: number): void {
  ctx.strokeStyle = '#ddd';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let k = 0; k <= n; k++) {
    ctx.moveTo(LEFT + k * CELL + 0.5, TOP);
    ctx.lineTo(LEFT + k * CELL + 0.5, TOP + n * CELL);
    ctx.moveTo(LEFT, TOP + k * CELL + 0.5);
    ctx.lineTo(LEFT + n * CELL, TOP + k * CELL + 0.5);
  }
  ctx.stroke();
  ctx.strokeStyle = '#000';
  ctx.strokeRect(LEFT + 0.5, TOP + 0.5, n * CELL, n * CELL);
}

function drawAxes(ctx: Ctx, n: number): void {
  ctx.fillStyle = '#000';
  ctx.font = labelFont(13);
  ctx.textBaseline = 'middle';
  for (let k = 0; k < n; k++) {
    const ch = CLASS_CHARS[k] ?? String(k);
    ctx.textAlign = 'right';
    ctx.fillText(ch, LEFT - 6, TOP + k * CELL + CELL / 2);
    ctx.textAlign = 'center';
    ctx.fillText(ch, LEFT + k * CELL + CELL / 2, TOP - 12);
    ctx.fillText(ch, LEFT + k * CELL + CELL / 2, TOP + n * CELL + 12);
  }
  ctx.font = labelFont(14, true);
  ctx.textAlign = 'center';
  ctx.fillText('predicted class', LEFT + (n * CELL) / 2, TOP + n * CELL + 40);
  ctx.save();
  ctx.translate(LEFT - 44, TOP + (n * CELL) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('true class', 0, 0);
  ctx.restore();
}

/** A vertical bar from 0% (bottom) to 100% (top) of a row, with ticks every quarter. */
function drawColourBar(ctx: Ctx, x: number, y: number, height: number): void {
  for (let k = 0; k < height; k++) {
    ctx.fillStyle = blue(1 - k / (height - 1));
    ctx.fillRect(x, y + k, BAR_WIDTH, 1);
  }
  ctx.strokeStyle = '#000';
  ctx.strokeRect(x + 0.5, y + 0.5, BAR_WIDTH, height);
  ctx.fillStyle = '#000';
  ctx.font = labelFont(12);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    const ty = y + (1 - share) * height;
    ctx.fillRect(x + BAR_WIDTH, Math.round(ty), 4, 1);
    ctx.fillText(`${share * 100}%`, x + BAR_WIDTH + 7, ty);
  }
  ctx.save();
  ctx.translate(x + BAR_WIDTH + 62, y + height / 2);
  ctx.rotate(Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.font = labelFont(13);
  ctx.fillText('share of the true class', 0, 0);
  ctx.restore();
}
