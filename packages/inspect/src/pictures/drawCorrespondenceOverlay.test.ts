import { getPixel, positionColour } from '@oxels/image';
import { CorrespondenceStatus, createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { syntheticPair } from '../../test/syntheticPair.ts';
import { LEGEND_COLOURS } from '../constants.ts';
import { drawCorrespondenceOverlay, overlayLayout } from './drawCorrespondenceOverlay.ts';
import { spreadSample } from './spreadSample.ts';

describe('drawCorrespondenceOverlay', () => {
  it('is 2W x H views plus the legend band, at the chosen scale', () => {
    const sample = syntheticPair({ width: 40, height: 30 });
    for (const scale of [1, 3] as const) {
      const { image, layout } = drawCorrespondenceOverlay(sample, { scale });
      expect(layout).toEqual(overlayLayout(40, 30, { scale, legend: true }));
      expect(layout.legendHeight).toBeGreaterThan(30);
      expect([image.width, image.height]).toEqual([2 * 40 * scale, 30 * scale + layout.legendHeight]);
      expect(image.data.length).toBe(image.width * image.height * 3);
    }
    const bare = drawCorrespondenceOverlay(sample, { scale: 2, legend: false }).image;
    expect([bare.width, bare.height]).toEqual([160, 60]);
    // 'auto' makes each view at least 320 px wide.
    expect(overlayLayout(128, 96).scale).toBe(3);
    expect(overlayLayout(640, 480).scale).toBe(1);
  });

  it("draws a match as a line from A's pixel centre to B's stored position shifted by the view width", () => {
    const sample = syntheticPair({ width: 32, height: 24, shift: [7.25, 3.5] });
    sample.rgbA.fill(0);
    sample.rgbB.fill(0);
    const s = 4;
    const { image, drawn } = drawCorrespondenceOverlay(sample, {
      matches: 1,
      occluded: 0,
      outOfView: 0,
      miss: 0,
      scale: s,
      legend: false,
      dim: 0,
    });
    expect(drawn.match).toHaveLength(1);
    const i = drawn.match[0];
    expect(sample.status[i]).toBe(CorrespondenceStatus.MATCH);
    const ua = (sample.aIndex[i] % 32) + 0.5;
    const va = Math.floor(sample.aIndex[i] / 32) + 0.5;
    const colour = positionColour(ua, va, 32, 24);
    const ub = sample.bXY[2 * i] * s + 32 * s;
    const vb = sample.bXY[2 * i + 1] * s;
    // End dots in the full colour, the line between them blended at 0.85 over black.
    expect(getPixel(image, Math.floor(ua * s), Math.floor(va * s))).toEqual(colour);
    expect(getPixel(image, Math.floor(ub), Math.floor(vb))).toEqual(colour);
    for (const t of [0.25, 0.5, 0.75]) {
      const px = getPixel(
        image,
        Math.floor(ua * s + (ub - ua * s) * t),
        Math.floor(va * s + (vb - va * s) * t),
      );
      expect(px).toEqual(colour.map((c) => Math.round(c * 0.85)));
    }
    // Nothing else was drawn: a pixel well off the line is still black.
    const offLine = (va * s + vb) / 2 + 20 < 24 * s ? (va * s + vb) / 2 + 20 : (va * s + vb) / 2 - 20;
    expect(getPixel(image, Math.floor((ua * s + ub) / 2), Math.floor(offLine))).toEqual([0, 0, 0]);
  });

  it('marks occluded, out-of-view and miss samples at their pixel of A only, and draws a legend', () => {
    const sample = syntheticPair({ width: 32, height: 24 });
    sample.rgbA.fill(90);
    sample.rgbB.fill(90);
    const count = (st: number) => sample.status.filter((x) => x === st).length;
    const all = drawCorrespondenceOverlay(sample, { matches: 0 }).drawn;
    expect(all.occluded).toHaveLength(Math.min(30, count(CorrespondenceStatus.OCCLUDED)));
    expect(all.miss).toHaveLength(Math.min(30, count(CorrespondenceStatus.MISS)));
    expect(all.outOfView).toHaveLength(Math.min(30, count(CorrespondenceStatus.OUT_OF_VIEW)));
    // A few of each, spread out, so that no marker's halo covers another's centre.
    const few = { matches: 0, occluded: 2, outOfView: 4, miss: 2, scale: 4, dim: 0 };
    const { image, drawn, layout } = drawCorrespondenceOverlay(sample, few);
    expect(drawn.outOfView).toHaveLength(4);
    for (const i of drawn.occluded) {
      const [x, y] = [(sample.aIndex[i] % 32) + 0.5, Math.floor(sample.aIndex[i] / 32) + 0.5];
      expect(getPixel(image, Math.floor(x * 4), Math.floor(y * 4))).toEqual([255, 255, 255]); // white "x" centre
    }
    for (const i of drawn.outOfView) {
      const [x, y] = [(sample.aIndex[i] % 32) + 0.5, Math.floor(sample.aIndex[i] / 32) + 0.5];
      expect(getPixel(image, Math.floor(x * 4), Math.floor(y * 4))).toEqual([0, 0, 0]); // black "+" centre
    }
    // View B is untouched (no match lines), the legend band holds text.
    for (let y = 0; y < layout.viewHeight; y += 7) {
      for (let x = layout.viewWidth; x < 2 * layout.viewWidth; x += 7)
        expect(getPixel(image, x, y)).toEqual([90, 90, 90]);
    }
    let textPixels = 0;
    for (let y = layout.legendTop; y < image.height; y++) {
      for (let x = 0; x < image.width; x++)
        if (getPixel(image, x, y).join() === LEGEND_COLOURS.text.join()) textPixels++;
    }
    expect(textPixels).toBeGreaterThan(500);
  });

  it('draws the same samples for the same seed and spreads them out', () => {
    const sample = syntheticPair({ width: 64, height: 48 });
    const a = drawCorrespondenceOverlay(sample, { seed: 3 });
    const b = drawCorrespondenceOverlay(sample, { seed: 3 });
    const c = drawCorrespondenceOverlay(sample, { seed: 4 });
    expect(b.drawn).toEqual(a.drawn);
    expect(Buffer.from(b.image.data).equals(Buffer.from(a.image.data))).toBe(true);
    expect(c.drawn.match).not.toEqual(a.drawn.match);
    const minGap = (idx: number[]) => {
      let m = Number.POSITIVE_INFINITY;
      for (const i of idx) {
        for (const j of idx) {
          if (i === j) continue;
          const [pi, pj] = [sample.aIndex[i], sample.aIndex[j]];
          m = Math.min(m, Math.hypot((pi % 64) - (pj % 64), Math.floor(pi / 64) - Math.floor(pj / 64)));
        }
      }
      return m;
    };
    // 60 of ~270 matches over ~45x40 px: farthest-point picks keep >= 3 px apart; seeded random
    // subsets of the same size (the naive choice) come much closer.
    expect(minGap(a.drawn.match)).toBeGreaterThanOrEqual(3);
    const matches = Array.from(sample.status.keys()).filter((i) => sample.status[i] === 0);
    const rng = createRng(5);
    const random = matches
      .map((m) => [rng.next(), m])
      .sort((x, y) => x[0] - y[0])
      .slice(0, 60)
      .map((x) => x[1]);
    expect(minGap(random)).toBeLessThan(minGap(a.drawn.match));
  });

  it('rejects a sample whose arrays disagree', () => {
    const sample = syntheticPair();
    sample.status = sample.status.subarray(1);
    expect(() => drawCorrespondenceOverlay(sample)).toThrow(/aIndex, status and bXY disagree/);
  });
});

describe('spreadSample', () => {
  it('picks distinct candidates far apart on a grid (seed 1)', () => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 20; x++) {
        xs.push(x);
        ys.push(y);
      }
    }
    const all = xs.map((_, i) => i);
    const picked = spreadSample(xs, ys, all, 16, createRng(1));
    expect(new Set(picked).size).toBe(16);
    let gap = Number.POSITIVE_INFINITY;
    for (const i of picked)
      for (const j of picked) if (i !== j) gap = Math.min(gap, Math.hypot(xs[i] - xs[j], ys[i] - ys[j]));
    expect(gap).toBeGreaterThanOrEqual(4);
    expect(spreadSample(xs, ys, all, 500, createRng(1))).toHaveLength(400);
    expect(spreadSample(xs, ys, [], 5, createRng(1))).toEqual([]);
  });
});
