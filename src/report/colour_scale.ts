/** Stops of a white-to-dark-blue scale (matplotlib's "Blues"), light for 0 and dark for 1. */
const BLUES: [number, number, number][] = [
  [247, 251, 255],
  [198, 219, 239],
  [107, 174, 214],
  [33, 113, 181],
  [8, 48, 107],
];

/** The colour of a share in [0, 1] on the blue scale, as an `rgb(...)` string. */
export function blue(share: number): string {
  const [r, g, b] = blueRgb(share);
  return `rgb(${r}, ${g}, ${b})`;
}

/** The colour of a share in [0, 1] on the blue scale, as red, green and blue bytes. */
export function blueRgb(share: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, share)) * (BLUES.length - 1);
  const i = Math.min(BLUES.length - 2, Math.floor(t));
  const f = t - i;
  const a = BLUES[i]!;
  const b = BLUES[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as [number, number, number];
}

/** Whether text on that shade should be white to stay readable. */
export function needsLightText(share: number): boolean {
  return share > 0.55;
}
