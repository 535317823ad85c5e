import { describe, expect, it } from 'vitest';
import { drawText, textWidth } from './bitmapFont.ts';
import { hslToRgb, positionColour, viridis } from './colourMaps.ts';
import { drawLine } from './drawShapes.ts';
import { blit, createRgbImage, getPixel, upscaleNearest } from './RgbImage.ts';

describe('RgbImage', () => {
  it('upscales by pixel blocks and blits with clipping', () => {
    const small = createRgbImage(2, 1, [10, 20, 30]);
    small.data.set([200, 0, 0], 3);
    const big = upscaleNearest(small, 3);
    expect([big.width, big.height]).toEqual([6, 3]);
    expect(getPixel(big, 2, 2)).toEqual([10, 20, 30]);
    expect(getPixel(big, 3, 0)).toEqual([200, 0, 0]);
    const canvas = createRgbImage(4, 4);
    blit(canvas, big, 2, -1);
    expect(getPixel(canvas, 2, 0)).toEqual([10, 20, 30]);
    expect(getPixel(canvas, 3, 1)).toEqual([10, 20, 30]);
    expect(getPixel(canvas, 1, 0)).toEqual([0, 0, 0]);
    expect(getPixel(canvas, 2, 2)).toEqual([0, 0, 0]);
    expect(() => createRgbImage(0, 3)).toThrow(/positive integers \(got 0x3\)/);
  });
});

describe('drawLine', () => {
  it('paints both ends and every column between, and blends each pixel once', () => {
    const image = createRgbImage(20, 10);
    drawLine(image, 1.5, 1.5, 18.5, 8.5, [100, 200, 0], { alpha: 0.5, width: 3 });
    for (let x = 1; x <= 18; x++) {
      let hit = 0;
      for (let y = 0; y < 10; y++) if (getPixel(image, x, y)[1] > 0) hit++;
      expect(hit).toBeGreaterThan(0);
    }
    // Half-blended over black, never more (overlapping dabs of a thick stroke blend a pixel once).
    for (let p = 0; p < 200; p++) expect([0, 100]).toContain(image.data[p * 3 + 1]);
  });
});

describe('bitmapFont', () => {
  it('draws inside its box: 6 px per character, 7 rows', () => {
    const image = createRgbImage(60, 12);
    const w = drawText(image, 'Ab,9%', 2, 2, [255, 255, 255]);
    expect(w).toBe(textWidth('Ab,9%')); // 5 * 6 - 1
    expect(w).toBe(29);
    let inside = 0;
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 60; x++) {
        const lit = getPixel(image, x, y)[0] > 0;
        if (lit) expect(x >= 2 && x < 2 + w && y >= 2 && y < 9).toBe(true);
        if (lit) inside++;
      }
    }
    expect(inside).toBeGreaterThan(40);
    // Scale 2 doubles the box; unknown characters draw as '?'.
    expect(textWidth('ab', 2)).toBe(22);
    const q1 = createRgbImage(8, 8);
    const q2 = createRgbImage(8, 8);
    drawText(q1, '\u00e9', 0, 0, [9, 9, 9]);
    drawText(q2, '?', 0, 0, [9, 9, 9]);
    expect(q1.data).toEqual(q2.data);
  });
});

describe('colour maps', () => {
  it('hits the known ends', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(viridis(2)).toEqual(viridis(1));
    expect(hslToRgb(0, 1, 0.5)).toEqual([255, 0, 0]);
    expect(hslToRgb(120, 1, 0.5)).toEqual([0, 255, 0]);
    expect(hslToRgb(240, 1, 0.5)).toEqual([0, 0, 255]);
    // Left and right edges of a view get different colours; top is lighter than bottom.
    expect(positionColour(0, 50, 100, 100)).not.toEqual(positionColour(100, 50, 100, 100));
    const sum = (c: readonly number[]) => c[0] + c[1] + c[2];
    expect(sum(positionColour(50, 0, 100, 100))).toBeGreaterThan(sum(positionColour(50, 100, 100, 100)));
  });
});
