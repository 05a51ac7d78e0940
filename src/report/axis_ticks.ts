/** Tick values for an axis: "nice" steps (1, 2 or 5 times a power of ten) covering [min, max]. */
export interface Ticks {
  min: number;
  max: number;
  step: number;
  values: number[];
  /** Decimal places that show every tick distinctly. */
  decimals: number;
}

/** About `target` evenly spaced round ticks whose range covers [low, high]. */
export function niceTicks(low: number, high: number, target = 5): Ticks {
  if (!Number.isFinite(low) || !Number.isFinite(high)) throw new Error(`cannot place ticks from ${low} to ${high}`);
  if (high - low < 1e-12) {
    const pad = Math.abs(low) > 1e-12 ? Math.abs(low) * 0.05 : 0.5;
    return niceTicks(low - pad, high + pad, target);
  }
  const rough = (high - low) / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const min = Math.floor(low / step + 1e-9) * step;
  const max = Math.ceil(high / step - 1e-9) * step;
  const values: number[] = [];
  for (let v = min; v <= max + step * 1e-6; v += step) values.push(Number(v.toFixed(12)));
  return { min, max, step, values, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}
