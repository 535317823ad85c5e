import type { Asset } from '../assets/Asset.ts';
import { SceneGenError } from '../errors.ts';

/**
 * Height (world y, metres) of a room's floor: the lowest height that carries a large share of the
 * room's upward-facing area. Histogram of upward-facing triangle area in 2 cm bins; the floor is the
 * lowest bin holding at least `minShare` of the largest bin's area (so a low step or a stray
 * triangle below the floor does not win, and a big table top above it does not either).
 */
export function detectFloor(room: Asset, minShare = 0.3): number {
  const bin = 0.02;
  const lo = room.bounds.min[1];
  const bins = new Float64Array(Math.max(1, Math.ceil((room.bounds.max[1] - lo) / bin) + 1));
  for (const { geometry } of room.parts) {
    const p = geometry.getAttribute('position').array;
    const index = geometry.index?.array;
    const n = index ? index.length : p.length / 3;
    for (let k = 0; k < n; k += 3) {
      const a = 3 * (index ? index[k] : k);
      const b = 3 * (index ? index[k + 1] : k + 1);
      const c = 3 * (index ? index[k + 2] : k + 2);
      const e1 = [p[b] - p[a], p[b + 1] - p[a + 1], p[b + 2] - p[a + 2]];
      const e2 = [p[c] - p[a], p[c + 1] - p[a + 1], p[c + 2] - p[a + 2]];
      const nx = e1[1] * e2[2] - e1[2] * e2[1];
      const ny = e1[2] * e2[0] - e1[0] * e2[2];
      const nz = e1[0] * e2[1] - e1[1] * e2[0];
      const area2 = Math.hypot(nx, ny, nz);
      // Horizontal triangles, either winding (dataset meshes are not consistently oriented).
      if (area2 === 0 || Math.abs(ny) < 0.95 * area2) continue;
      const y = (p[a + 1] + p[b + 1] + p[c + 1]) / 3;
      bins[Math.min(bins.length - 1, Math.max(0, Math.floor((y - lo) / bin)))] += area2 / 2;
    }
  }
  const peak = Math.max(...bins);
  if (peak === 0) {
    throw new SceneGenError(
      'BAD_ARGUMENT',
      `detectFloor: room ${room.id} (${room.source}) has no horizontal surface`,
      room.source,
    );
  }
  const floorBin = bins.findIndex((a) => a >= minShare * peak);
  return lo + (floorBin + 0.5) * bin;
}
