import { createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { pixelMapping, viewToViewHomography } from './pixelMapping.ts';
import { randomHomography } from './randomHomography.ts';
import { sampleCorrespondences } from './sampleCorrespondences.ts';
import { warpImage } from './warpImage.ts';

describe('sampleCorrespondences (seed 17)', () => {
  const rng = createRng(17);
  const h1 = randomHomography(32, 32, rng);
  const h2 = randomHomography(32, 32, rng);
  const src = { width: 32, height: 32, channels: 3, data: new Float32Array(32 * 32 * 3).fill(0.5) };
  const w1 = warpImage(src, h1);
  const w2 = warpImage(src, h2);
  const mapping = pixelMapping(viewToViewHomography(h1, h2), 32, 32);

  it('picks round(fraction * candidates) positives, each with its true landing pixel', () => {
    const s = sampleCorrespondences(mapping, w1.mask, w2.mask, createRng(1), { positiveFraction: 0.25 });
    let candidates = 0;
    for (let i = 0; i < 1024; i++) if (w1.mask[i] && mapping.inside[i]) candidates++;
    expect(candidates).toBeGreaterThan(200);
    expect(candidates).toBeLessThan(1024);
    expect(s.isPositive.reduce((a, b) => a + b, 0)).toBe(Math.round(0.25 * candidates));
    for (let k = 0; k < s.idx1.length; k++) {
      const i = s.idx1[k];
      expect(i).toBe(k);
      expect(s.valid[k]).toBe(w1.mask[i] & w2.mask[s.idx2[k]]);
      if (s.isPositive[k]) {
        expect(w1.mask[i] && mapping.inside[i]).toBeTruthy();
        expect(s.xy2[2 * k]).toBe(mapping.xy[2 * i]);
        expect(s.idx2[k]).toBe(Math.floor(s.xy2[2 * k + 1]) * 32 + Math.floor(s.xy2[2 * k]));
        // Both views are warps of the same source, so a true partner always shows the source too.
        expect(s.valid[k]).toBe(1);
      } else {
        expect(Number.isNaN(s.xy2[2 * k])).toBe(true);
        expect(s.idx2[k]).toBeGreaterThanOrEqual(0);
        expect(s.idx2[k]).toBeLessThan(1024);
      }
    }
  });

  it('gives no positives at fraction 0 and all candidates at fraction 1', () => {
    const none = sampleCorrespondences(mapping, w1.mask, w2.mask, createRng(1), { positiveFraction: 0 });
    const all = sampleCorrespondences(mapping, w1.mask, w2.mask, createRng(1), { positiveFraction: 1 });
    expect(none.isPositive.every((p) => p === 0)).toBe(true);
    for (let i = 0; i < 1024; i++) expect(all.isPositive[i]).toBe(w1.mask[i] && mapping.inside[i] ? 1 : 0);
  });

  it('draws N distinct view-1 pixels when asked for fewer than all', () => {
    const s = sampleCorrespondences(mapping, w1.mask, w2.mask, createRng(2), { samples: 128 });
    expect(s.idx1.length).toBe(128);
    expect(new Set(s.idx1).size).toBe(128);
  });

  it('rejects a sample count larger than the image', () => {
    expect(() => sampleCorrespondences(mapping, w1.mask, w2.mask, createRng(2), { samples: 2000 })).toThrow(
      /samples must be an integer in \[1, 1024\]/,
    );
  });

  it('is reproducible from its seed', () => {
    const a = sampleCorrespondences(mapping, w1.mask, w2.mask, createRng(3));
    const b = sampleCorrespondences(mapping, w1.mask, w2.mask, createRng(3));
    const c = sampleCorrespondences(mapping, w1.mask, w2.mask, createRng(4));
    expect(a).toEqual(b);
    expect(Array.from(a.idx2)).not.toEqual(Array.from(c.idx2));
  });
});
