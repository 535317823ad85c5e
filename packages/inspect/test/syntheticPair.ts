import { CorrespondenceStatus, createRng, sampleWithoutReplacement } from '@oxels/core';
import { correspondenceStats, lookAtPose } from '@oxels/raycast';
import { type ViewPairSample, sampleKey } from '@oxels/dataset';

/** What `syntheticPair` builds: a flat textured wall seen by A and by B shifted sideways. */
export interface SyntheticPairOptions {
  width: number;
  height: number;
  /** B sees what A sees at (x + shift[0], y + shift[1]): A's (u, v) lands at (u - shift[0], v - shift[1]). */
  shift: [number, number];
  room: number;
  pair: number;
  seed: number;
}

const DEFAULTS: SyntheticPairOptions = {
  width: 32,
  height: 24,
  shift: [6.25, 2.5],
  room: 0,
  pair: 0,
  seed: 1,
};

/** Colour of the wall at wall position (p, q), in A's pixel units: smooth ramps plus a checkerboard. */
function wall(p: number, q: number, w: number, h: number): [number, number, number] {
  const check = (Math.floor(p / 4) + Math.floor(q / 4)) % 2;
  return [Math.round((255 * p) / (w + 16)), Math.round((255 * q) / (h + 16)), check ? 200 : 60];
}

/**
 * A view pair whose correspondences are known in closed form: B is A translated by `shift` pixels.
 * K = round(W*H/8) pixels of A are sampled (seeded); a sample is MISS in A's top-left 4x4 block
 * ("sky"), OCCLUDED in the block x in [W/2, W/2+4), y in [H/2, H/2+4) ("something in front of B"),
 * OUT_OF_VIEW when it lands outside B, and MATCH otherwise with bXY = A's centre - shift.
 */
export function syntheticPair(options: Partial<SyntheticPairOptions> = {}): ViewPairSample {
  const o = { ...DEFAULTS, ...options };
  const { width: w, height: h } = o;
  const [dx, dy] = o.shift;
  const rgbA = new Uint8Array(w * h * 3);
  const rgbB = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      rgbA.set(wall(x + 8, y + 8, w, h), (y * w + x) * 3);
      rgbB.set(wall(x + 8 + dx, y + 8 + dy, w, h), (y * w + x) * 3);
    }
  }
  const k = Math.round((w * h) / 8);
  const aIndex = sampleWithoutReplacement(w * h, k, createRng(o.seed));
  const bXY = new Float32Array(2 * k).fill(Number.NaN);
  const status = new Uint8Array(k);
  for (let i = 0; i < k; i++) {
    const x = aIndex[i] % w;
    const y = Math.floor(aIndex[i] / w);
    const u = x + 0.5 - dx;
    const v = y + 0.5 - dy;
    if (x < 4 && y < 4) status[i] = CorrespondenceStatus.MISS;
    else if (u < 0 || v < 0 || u >= w || v >= h) status[i] = CorrespondenceStatus.OUT_OF_VIEW;
    else if (x >= w / 2 && x < w / 2 + 4 && y >= h / 2 && y < h / 2 + 4)
      status[i] = CorrespondenceStatus.OCCLUDED;
    else {
      status[i] = CorrespondenceStatus.MATCH;
      bXY[2 * i] = u;
      bXY[2 * i + 1] = v;
    }
  }
  const poseA = lookAtPose([0, 1.5, 3], [0, 1.5, 0]);
  const poseB = lookAtPose([0.2, 1.5, 3], [0.2, 1.5, 0]);
  return {
    meta: {
      key: sampleKey(o.room, o.pair),
      width: w,
      height: h,
      fx: w,
      fy: w,
      cx: w / 2,
      cy: h / 2,
      poseA,
      poseB,
      room: { index: o.room, id: `synthetic-${o.room}` },
      objects: [],
      seeds: { scene: o.room, pair: o.pair, attempt: 0 },
      stats: correspondenceStats({ status }),
    },
    rgbA,
    rgbB,
    aIndex,
    bXY,
    status,
  };
}
