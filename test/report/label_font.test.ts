import { GlobalFonts } from '@napi-rs/canvas';
import { describe, expect, test } from 'vitest';
import { labelFamily, labelFont } from '../../src/report/label_font.js';
import { whiteCanvas } from '../../src/report/png.js';

describe('labelFamily', () => {
  test('names a family the canvas knows, and text in it leaves ink', () => {
    const family = labelFamily();
    expect(GlobalFonts.families.map((f) => f.family)).toContain(family);
    const { ctx } = whiteCanvas(60, 40);
    ctx.fillStyle = '#000';
    ctx.font = labelFont(24);
    ctx.fillText('A7', 5, 30);
    const rgba = ctx.getImageData(0, 0, 60, 40).data;
    let inked = 0;
    for (let k = 0; k < rgba.length; k += 4) if (rgba[k]! < 128) inked++;
    expect(inked).toBeGreaterThan(40);
  });
});
