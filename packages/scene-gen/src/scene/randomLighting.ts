import type { Rng } from '@oxels/core';
import type { Box3Data } from '../assets/Asset.ts';
import type { Lighting } from './SceneSpec.ts';

/** A light colour between warm (about 3000 K) and cool (about 6500 K) white, sRGB. */
function whiteTint(rng: Rng): [number, number, number] {
  const t = rng.next();
  return [1, 0.82 + 0.16 * t, 0.62 + 0.38 * t];
}

/**
 * Random lighting of one view pair (both views share it): a hemisphere term, two directional lights
 * from above and two point lights under the ceiling. The second directional light and each point
 * light are off (intensity 0) half of the time: a fixed set of lights keeps one shader variant and lets
 * the renderer update lights in place between pairs. Intensities in three.js's physical units (a
 * directional light of intensity pi makes a facing white matte surface white).
 */
export function randomLighting(rng: Rng, roomBounds: Box3Data, floorY: number): Lighting {
  const { min, max } = roomBounds;
  const directional = [0, 1].map((k) => {
    const azimuth = rng.uniform(0, 2 * Math.PI);
    const elevation = rng.uniform(0.5, 1.4); // radians above the horizon
    return {
      direction: [
        -Math.cos(elevation) * Math.cos(azimuth),
        -Math.sin(elevation),
        -Math.cos(elevation) * Math.sin(azimuth),
      ] as [number, number, number],
      color: whiteTint(rng),
      intensity: k === 0 || rng.next() < 0.5 ? rng.uniform(0.8, 2.2) : 0,
    };
  });
  const point = [0, 1].map(() => ({
    position: [
      rng.uniform(min[0] + 0.3, max[0] - 0.3),
      Math.max(floorY + 1.5, max[1] - 0.3),
      rng.uniform(min[2] + 0.3, max[2] - 0.3),
    ] as [number, number, number],
    color: whiteTint(rng),
    intensity: rng.next() < 0.5 ? rng.uniform(2, 8) : 0,
  }));
  return {
    hemisphere: { sky: whiteTint(rng), ground: [0.45, 0.42, 0.4], intensity: rng.uniform(0.6, 1.4) },
    directional,
    point,
  };
}
