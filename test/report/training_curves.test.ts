import { describe, expect, test } from 'vitest';
import { niceTicks } from '../../src/report/axis_ticks.js';
import { drawTrainingCurves } from '../../src/report/training_curves.js';
import type { ReportEpoch } from '../../src/train/report.js';
import { decodePng } from './png_support.js';

const epoch = (n: number, loss: number, acc: number): ReportEpoch => ({
  epoch: n,
  loss,
  acc,
  val_loss: loss * 0.9,
  val_acc: acc * 1.01,
  seconds: 10,
  step_seconds: 9,
  validation_seconds: 0.7,
  samples_per_second: 2000,
});

describe('niceTicks', () => {
  test('round steps that cover the range', () => {
    const t = niceTicks(0.3657, 0.5486);
    expect(t.step).toBeCloseTo(0.05);
    expect(t.min).toBeLessThanOrEqual(0.3657);
    expect(t.max).toBeGreaterThanOrEqual(0.5486);
    expect(t.values[0]).toBeCloseTo(0.35);
    expect(t.values.at(-1)).toBeCloseTo(0.55);
    expect(t.decimals).toBe(2);
  });

  test('a flat series still gets a span', () => {
    const t = niceTicks(0.8, 0.8);
    expect(t.min).toBeLessThan(0.8);
    expect(t.max).toBeGreaterThan(0.8);
  });
});

describe('drawTrainingCurves', () => {
  test('two panels with the training curve drawn in its colour on a white ground', async () => {
    const history = [epoch(1, 0.55, 0.83), epoch(2, 0.45, 0.86), epoch(3, 0.4, 0.88)];
    const image = await decodePng(await drawTrainingCurves(history, 'fc: training curves').encode('png'));
    expect(image.width).toBe(960);
    expect(image.height).toBe(380);
    expect(image.rgb(2, 2)).toEqual([255, 255, 255]);
    const isTrainBlue = ([r, g, b]: [number, number, number]): boolean => r < 60 && g > 90 && g < 150 && b > 150;
    const blueIn = (x0: number, x1: number): number => {
      let n = 0;
      for (let y = 0; y < image.height; y++) for (let x = x0; x < x1; x++) if (isTrainBlue(image.rgb(x, y))) n++;
      return n;
    };
    // A line across the panel, not only the legend's short sample of it.
    expect(blueIn(0, 480)).toBeGreaterThan(300);
    expect(blueIn(480, 960)).toBeGreaterThan(300);
  });

  test('refuses an empty history', () => {
    expect(() => drawTrainingCurves([], 'x')).toThrow(/at least one epoch/);
  });
});
