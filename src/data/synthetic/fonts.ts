import { platform } from '../../platform/index.js';
import type { Canvas2D } from '../../platform/types.js';
import { CLASS_CHARS, NUM_CLASSES } from '../dataset.js';

/**
 * The handwriting fonts samples are drawn in, by @fontsource package name. Order matters: a
 * sample picks its font by index, so reordering changes the data (bump GENERATOR_VERSION).
 *
 * Dropped: homemade-apple. Its capitals are looped copperplate (I, J, S, T and F read as one
 * another's shapes), unlike the printed capitals of the other fonts and of handwritten
 * character sets, so they would teach the nets label noise. Every installed font, homemade-apple included, maps all of 0-9 and
 * A-Z (loadFont checks the kept ones on every load), and none draws its capitals as lowercase
 * shapes (checked by eye on a contact sheet), so no font is dropped for coverage.
 */
export const FONT_PACKAGES = [
  'architects-daughter',
  'caveat',
  'covered-by-your-grace',
  'dancing-script',
  'gloria-hallelujah',
  'gochi-hand',
  'handlee',
  'indie-flower',
  'kalam',
  'patrick-hand',
  'permanent-marker',
  'reenie-beanie',
  'rock-salt',
  'schoolbell',
  'shadows-into-light',
  'sue-ellen-francisco',
] as const;

/** Ink extent of one glyph drawn at REF_SIZE with its origin at (0, 0), in pixels. */
export interface GlyphBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** A registered font with what rendering needs to know about its glyphs. */
export interface SyntheticFont {
  /** The @fontsource package it came from. */
  name: string;
  /** CSS family name it is registered under. */
  family: string;
  /** Typical stroke width at REF_SIZE, in pixels, so samples can set a pen width whatever the font. */
  stroke: number;
  /** Ink box of each class's glyph at REF_SIZE, indexed by class. */
  boxes: GlyphBox[];
}

/** Font size, in pixels, at which glyphs are measured and drawn before scaling to the image. */
export const REF_SIZE = 100;

// Room, at REF_SIZE, for every glyph of these fonts (they reach from x = -31 to 146 and from
// y = -115 to 41 around the origin) and a margin; no larger, since each pixel read costs memory
// until the event loop next turns.
const MEASURE_WIDTH = 224;
const MEASURE_HEIGHT = 208;
const ORIGIN_X = 56;
const ORIGIN_Y = 150;

let loaded: SyntheticFont[] | undefined;

/** Ink box and stroke width of one glyph, from a thresholded rendering (measureText rounds boxes to whole pixels). */
function measureGlyph(ctx: Canvas2D, family: string, ch: string): { box: GlyphBox; stroke: number } {
  ctx.clearRect(0, 0, MEASURE_WIDTH, MEASURE_HEIGHT);
  ctx.font = `${REF_SIZE}px "${family}"`;
  ctx.fillStyle = '#fff';
  ctx.fillText(ch, ORIGIN_X, ORIGIN_Y);
  const rgba = ctx.getImageData(0, 0, MEASURE_WIDTH, MEASURE_HEIGHT).data;
  const w = MEASURE_WIDTH;
  const ink = new Uint8Array(w * MEASURE_HEIGHT);
  for (let k = 0; k < ink.length; k++) ink[k] = rgba[k * 4 + 3]! >= 128 ? 1 : 0;
  let area = 0;
  let edges = 0;
  let left = w;
  let top = MEASURE_HEIGHT;
  let right = -1;
  let bottom = -1;
  for (let y = 1; y < MEASURE_HEIGHT - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const k = y * w + x;
      if (ink[k] === 0) continue;
      area++;
      edges += 4 - ink[k - 1]! - ink[k + 1]! - ink[k - w]! - ink[k + w]!;
      left = Math.min(left, x);
      right = Math.max(right, x + 1);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y + 1);
    }
  }
  if (area === 0) throw new Error(`font ${family} draws nothing for ${JSON.stringify(ch)}`);
  if (left <= 1 || top <= 1 || right >= w - 1 || bottom >= MEASURE_HEIGHT - 1) {
    throw new Error(`font ${family} draws ${JSON.stringify(ch)} beyond the measuring canvas`);
  }
  // A stroke of width w and length L covers w*L pixels and has about 2L edge pixels.
  return {
    box: { left: left - ORIGIN_X, top: top - ORIGIN_Y, right: right - ORIGIN_X, bottom: bottom - ORIGIN_Y },
    stroke: (2 * area) / edges,
  };
}

/** Registers one package's Latin font and measures its glyphs; throws if any of the 36 is missing. */
function loadFont(ctx: Canvas2D, name: string): SyntheticFont {
  const family = `synthetic-${name}`;
  platform.registerFont(name, family, CLASS_CHARS);
  const glyphs = [...CLASS_CHARS].map((ch) => measureGlyph(ctx, family, ch));
  const strokes = glyphs.map((g) => g.stroke).sort((a, b) => a - b);
  return {
    name,
    family,
    stroke: strokes[Math.floor(NUM_CLASSES / 2)]!,
    boxes: glyphs.map((g) => g.box),
  };
}

/** The handwriting fonts, registered with the canvas and measured once per thread. */
export function loadFonts(): SyntheticFont[] {
  if (loaded === undefined) {
    const ctx = platform.canvas2d(MEASURE_WIDTH, MEASURE_HEIGHT);
    // The default 'inherit' follows the host's language, which may change glyph shaping.
    ctx.lang = 'en';
    loaded = FONT_PACKAGES.map((name) => loadFont(ctx, name));
  }
  return loaded;
}
