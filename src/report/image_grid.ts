import type { Canvas } from '@napi-rs/canvas';
import { IMAGE_SIZE, PIXELS } from '../data/dataset.js';
import { labelFont } from './label_font.js';
import { whiteCanvas } from './png.js';

/** One picture in a grid: a 56x56 image and the text printed above it. */
export interface GridTile {
  /** 3136 row-major pixels: uint8 in 0..255, or float32 in [0, 1]. */
  pixels: Uint8Array | Float32Array;
  caption: string;
}

/** How to lay a grid out. */
export interface GridOptions {
  cols: number;
  /** Screen pixels per image pixel; whole numbers keep the pixels sharp. */
  scale?: number;
  /** A heading across the top. */
  title?: string;
}

const CAPTION_PX = 14;
const TITLE_PX = 18;
const GAP = 14;

/** Draws images in rows of `cols`, grey as the data holds them (white ink on black), each under its caption. */
export function drawImageGrid(tiles: GridTile[], options: GridOptions): Canvas {
  if (tiles.length === 0) throw new Error('an image grid needs at least one image');
  const scale = options.scale ?? 2;
  const side = IMAGE_SIZE * scale;
  const cols = Math.min(options.cols, tiles.length);
  const rows = Math.ceil(tiles.length / cols);
  const captionWidth = Math.max(...tiles.map((t) => measure(t.caption, labelFont(CAPTION_PX))));
  const cellWidth = Math.max(side, captionWidth) + GAP;
  const cellHeight = CAPTION_PX + 8 + side + GAP;
  const top = options.title === undefined ? GAP : TITLE_PX + 2 * GAP;

  const titleWidth = options.title === undefined ? 0 : measure(options.title, labelFont(TITLE_PX, true)) + 2 * GAP;
  const { canvas, ctx } = whiteCanvas(Math.max(cols * cellWidth + GAP, titleWidth), top + rows * cellHeight);
  // A title wider than the grid widens the picture; the grid stays centred under it.
  const left = Math.floor((canvas.width - (cols * cellWidth + GAP)) / 2);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = '#000';
  if (options.title !== undefined) {
    ctx.font = labelFont(TITLE_PX, true);
    ctx.fillText(options.title, canvas.width / 2, GAP + TITLE_PX);
  }
  ctx.font = labelFont(CAPTION_PX);
  tiles.forEach((tile, i) => {
    const x = left + GAP + (i % cols) * cellWidth;
    const y = top + Math.floor(i / cols) * cellHeight;
    ctx.fillText(tile.caption, x + (cellWidth - GAP) / 2, y + CAPTION_PX);
    const imageX = x + Math.round((cellWidth - GAP - side) / 2);
    ctx.putImageData(scaledGrey(ctx.createImageData(side, side), tile.pixels, scale), imageX, y + CAPTION_PX + 6);
  });
  return canvas;
}

function measure(text: string, font: string): number {
  const { ctx } = whiteCanvas(1, 1);
  ctx.font = font;
  return Math.ceil(ctx.measureText(text).width);
}

/** Fills `out` with the image enlarged by whole pixels (nearest neighbour: no blur to hide the data). */
function scaledGrey<T extends { data: Uint8ClampedArray; width: number }>(out: T, pixels: Uint8Array | Float32Array, scale: number): T {
  if (pixels.length !== PIXELS) throw new Error(`an image has ${PIXELS} pixels, not ${pixels.length}`);
  const unit = pixels instanceof Float32Array ? 255 : 1;
  for (let y = 0; y < out.width; y++) {
    for (let x = 0; x < out.width; x++) {
      const v = pixels[Math.floor(y / scale) * IMAGE_SIZE + Math.floor(x / scale)]! * unit;
      const k = (y * out.width + x) * 4;
      out.data[k] = out.data[k + 1] = out.data[k + 2] = v;
      out.data[k + 3] = 255;
    }
  }
  return out;
}
