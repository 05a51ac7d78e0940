import { createRequire } from 'node:module';
import { GlobalFonts } from '@napi-rs/canvas';

/** Plain sans families commonly installed, best first; the canvas finds system fonts by family name. */
const SYSTEM_SANS = ['DejaVu Sans', 'Liberation Sans', 'Noto Sans', 'Arial', 'Helvetica', 'FreeSans', 'Roboto', 'Open Sans'];

/**
 * Patrick Hand, a print-style handwriting font shipped by a dependency: the fallback on a machine with no
 * system fonts, where the canvas would otherwise draw no text at all. No plain sans font ships in node_modules.
 */
const FALLBACK_PACKAGE = 'patrick-hand';
const FALLBACK_FAMILY = 'report-fallback-sans';

let chosen: string | undefined;

/** The family that labels in the report's pictures are drawn in: a system sans font, else the bundled fallback. */
export function labelFamily(): string {
  if (chosen !== undefined) return chosen;
  const installed = new Set(GlobalFonts.families.map((f) => f.family));
  chosen = SYSTEM_SANS.find((family) => installed.has(family));
  if (chosen === undefined) {
    const path = createRequire(import.meta.url).resolve(`@fontsource/${FALLBACK_PACKAGE}/files/${FALLBACK_PACKAGE}-latin-400-normal.woff`);
    if (GlobalFonts.registerFromPath(path, FALLBACK_FAMILY) === null) throw new Error(`cannot register font ${path}`);
    chosen = FALLBACK_FAMILY;
  }
  return chosen;
}

/** A CSS font string for labels of `px` pixels, optionally bold. */
export function labelFont(px: number, bold = false): string {
  return `${bold ? 'bold ' : ''}${px}px "${labelFamily()}"`;
}
