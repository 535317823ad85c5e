import { describe, expect, it } from 'vitest';
import { drawLine } from '../raster/drawShapes.ts';
import { createRgbImage, getPixel, type RgbImage } from '../raster/RgbImage.ts';
import { decimatePolyline } from './decimatePolyline.ts';

function draw(points: [number, number][]): RgbImage {
  const image = createRgbImage(200, 120);
  for (let i = 1; i < points.length; i++) {
    drawLine(image, ...points[i - 1], ...points[i], [255, 255, 255]);
  }
  return image;
}

/** Topmost and bottommost painted row of each column (-1 where none). */
function spans(image: RgbImage): [number, number][] {
  const out: [number, number][] = [];
  for (let x = 0; x < image.width; x++) {
    let top = -1;
    let bottom = -1;
    for (let y = 0; y < image.height; y++) {
      if (getPixel(image, x, y)[0] > 0) {
        if (top < 0) top = y;
        bottom = y;
      }
    }
    out.push([top, bottom]);
  }
  return out;
}

describe('decimatePolyline', () => {
  it('keeps at most 4 vertices per column and paints the same column spans (seeded walk, seed 11)', () => {
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    let v = 60;
    const points: [number, number][] = Array.from({ length: 5000 }, (_, i) => {
      v = Math.min(115, Math.max(5, v + (rnd() - 0.5) * 12));
      return [5 + (i * 190) / 5000, v];
    });
    const kept = decimatePolyline(points);
    expect(kept.length).toBeLessThanOrEqual(4 * 191);
    expect(kept.length).toBeGreaterThan(2 * 190);
    expect(kept[0]).toEqual(points[0]);
    expect(kept[kept.length - 1]).toEqual(points[points.length - 1]);
    const full = spans(draw(points));
    const reduced = spans(draw(kept));
    for (let x = 0; x < 200; x++) {
      expect(Math.abs(full[x][0] - reduced[x][0]), `top of column ${x}`).toBeLessThanOrEqual(1);
      expect(Math.abs(full[x][1] - reduced[x][1]), `bottom of column ${x}`).toBeLessThanOrEqual(1);
    }
  });

  it('leaves sparse and backtracking paths alone', () => {
    const sparse: [number, number][] = [
      [0.5, 1],
      [10.5, 4],
      [3.5, 2],
      [3.7, 9],
    ];
    expect(decimatePolyline(sparse)).toEqual(sparse);
    expect(decimatePolyline([])).toEqual([]);
  });
});
