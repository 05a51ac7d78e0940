import { platform } from '../../platform/index.js';
import type { Canvas2D } from '../../platform/types.js';
import { CLASS_CHARS, IMAGE_SIZE, PIXELS } from '../dataset.js';
import { downsample2, elasticField, type Pose, placeGlyph, remap } from './distort.js';
import { loadFonts, REF_SIZE, type SyntheticFont } from './fonts.js';
import { createRng, type Rng, Stream } from './random.js';

/** Bump whenever any change here, in fonts.ts or in distort.ts alters the pixels: it names the cache file. */
export const GENERATOR_VERSION = 1;

/** A run of consecutive samples for one worker to render. */
export interface RenderTask {
  seed: number;
  /** Index of the first sample; sample randomness is keyed by (seed, index). */
  start: number;
  /** Class of each sample in the run. */
  labels: Uint8Array;
}

// Drawn at twice the final resolution so the elastic resampling and the 2x2 averaging give
// smooth anti-aliased edges rather than the jaggies of resampling a 56-pixel image.
const SUPER = 2;
const SIDE = IMAGE_SIZE * SUPER;

/** Everything random about one sample, in final-image pixels. */
interface SampleParams {
  font: SyntheticFont;
  pose: Pose;
  /** Pen width of the finished glyph. */
  pen: number;
  /** Deviation of the elastic displacement at the coarse grid's points. */
  elastic: number;
  /** Brightness of solid ink, 0..255. */
  ink: number;
  /** Weight of the neighbours in a 3x3 blur; 0 leaves the image sharp. */
  blur: number;
  /** Deviation of the additive Gaussian pixel noise, in grey levels. */
  noise: number;
}

// Draws in a fixed order from the sample's own stream: reordering or adding a draw changes
// every sample, so it needs a GENERATOR_VERSION bump.
function drawParams(rng: Rng, fonts: SyntheticFont[]): SampleParams {
  const degrees = Math.PI / 180;
  return {
    font: fonts[rng.int(fonts.length)]!,
    pose: {
      size: rng.uniform(0.6, 0.95) * IMAGE_SIZE,
      aspect: Math.exp(rng.uniform(-0.25, 0.25)),
      rotation: rng.uniform(-15, 15) * degrees,
      shear: rng.uniform(-0.3, 0.3),
      shiftX: rng.uniform(-5, 5),
      shiftY: rng.uniform(-5, 5),
    },
    pen: rng.uniform(2, 6),
    elastic: rng.uniform(0, 1.6),
    ink: rng.uniform(190, 255),
    blur: rng.next() < 0.5 ? 0 : rng.uniform(0, 0.1),
    noise: rng.uniform(0, 10),
  };
}

/** Draws the posed glyph with the requested pen width and returns its coverage (0..255) at SIDE x SIDE. */
function drawGlyph(ctx: Canvas2D, label: number, p: SampleParams): Float32Array {
  const box = p.font.boxes[label]!;
  // The pen changes the ink's reach by half its change in width, which the margin must allow.
  const widen = p.pen - p.font.stroke * (p.pose.size / Math.max(box.right - box.left, box.bottom - box.top));
  const margin = (1 + Math.max(widen, 0) / 2 + p.elastic) * SUPER;
  const superPose = {
    ...p.pose,
    size: p.pose.size * SUPER,
    shiftX: p.pose.shiftX * SUPER,
    shiftY: p.pose.shiftY * SUPER,
  };
  const { affine, scale } = placeGlyph(box, superPose, SIDE, margin);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, SIDE, SIDE);
  ctx.setTransform(...affine);
  ctx.font = `${REF_SIZE}px "${p.font.family}"`;
  const ch = CLASS_CHARS[label]!;
  ctx.fillText(ch, 0, 0);
  // Placement may have shrunk the glyph, so the change of pen is recomputed at the final scale;
  // the stroke is centred on the outline, adding (or with destination-out removing) half a
  // width on each side.
  const change = (p.pen * SUPER) / scale - p.font.stroke;
  if (Math.abs(change) > 0.05) {
    ctx.lineWidth = Math.abs(change);
    ctx.globalCompositeOperation = change > 0 ? 'source-over' : 'destination-out';
    ctx.strokeText(ch, 0, 0);
    ctx.globalCompositeOperation = 'source-over';
  }
  const rgba = ctx.getImageData(0, 0, SIDE, SIDE).data;
  const alpha = new Float32Array(SIDE * SIDE);
  for (let k = 0; k < alpha.length; k++) alpha[k] = rgba[k * 4 + 3]!;
  return alpha;
}

/** Blurs, sets the ink level, adds noise and quantises a coverage image into `out`. */
function finish(coverage: Float32Array, p: SampleParams, rng: Rng, out: Uint8Array, offset: number): void {
  const n = IMAGE_SIZE;
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= n || y >= n ? 0 : coverage[y * n + x]!);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let v = coverage[y * n + x]!;
      if (p.blur > 0) {
        const sides = at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1);
        const corners = at(x - 1, y - 1) + at(x + 1, y - 1) + at(x - 1, y + 1) + at(x + 1, y + 1);
        v = v * (1 - 8 * p.blur) + p.blur * (sides + corners);
      }
      v = (v * p.ink) / 255 + rng.normal() * p.noise;
      out[offset + y * n + x] = Math.min(255, Math.max(0, Math.round(v)));
    }
  }
}

let context: Canvas2D | undefined;

function newContext(): Canvas2D {
  const ctx = platform.canvas2d(SIDE, SIDE);
  // The default 'inherit' follows the host's language, which may change glyph shaping.
  ctx.lang = 'en';
  ctx.fillStyle = '#fff';
  ctx.strokeStyle = '#fff';
  // Round joins and caps, as a pen makes: miter joins would sprout spikes at sharp corners.
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  return ctx;
}

/** Renders one sample of class `label` into `out` at `offset`, from (seed, index) alone. */
function renderSample(seed: number, index: number, label: number, out: Uint8Array, offset: number): void {
  const fonts = loadFonts();
  context ??= newContext();
  const params = drawParams(createRng(seed, index, Stream.sample), fonts);
  const coverage = drawGlyph(context, label, params);
  const { dx, dy } = elasticField(createRng(seed, index, Stream.elastic), SIDE, 4, params.elastic * SUPER);
  const small = downsample2(remap(coverage, SIDE, dx, dy), SIDE);
  finish(small, params, createRng(seed, index, Stream.noise), out, offset);
}

/** Renders a run of samples into a fresh buffer of `labels.length` images. */
export function renderChunk(task: RenderTask): Uint8Array {
  const out = new Uint8Array(task.labels.length * PIXELS);
  for (let i = 0; i < task.labels.length; i++) {
    renderSample(task.seed, task.start + i, task.labels[i]!, out, i * PIXELS);
  }
  return out;
}
