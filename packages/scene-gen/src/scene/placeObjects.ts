import { boxIntersectsScene, createRayHit, raycastFirst, type SceneBVH } from '@oxels/raycast';
import type { Rng } from '@oxels/core';
import type { Asset, Box3Data } from '../assets/Asset.ts';
import type { PlacedObject } from './SceneSpec.ts';
import { placementTransform, transformBox } from './transforms.ts';

/** Options of `placeObjects`. */
export interface PlacementOptions {
  /** Number of objects, drawn uniformly from [min, max]. */
  count: [number, number];
  /** Diagonal of a placed object's bounding box, metres, drawn uniformly from this range. */
  size: [number, number];
  /** Free gap kept between objects and from walls, metres. */
  gap: number;
  /** Tries per object before giving up on it (a crowded room may get fewer objects). */
  tries: number;
}

export const DEFAULT_PLACEMENT_OPTIONS: PlacementOptions = {
  count: [1, 15],
  size: [0.5, 1.4],
  gap: 0.05,
  tries: 40,
};

/** A placed object with its world bounding box. */
export interface Placement extends PlacedObject {
  box: Box3Data;
}

/**
 * Places objects on a room's floor: random asset, size and rotation about +Y, resting on the floor
 * (its lowest point at `floorY`), not intersecting the room (walls, fixtures: checked against the
 * room's triangles) nor each other (bounding boxes), with floor under its whole footprint (so not
 * outside an L-shaped room). Deterministic given `rng`. Objects may repeat within and across rooms.
 */
export function placeObjects(
  roomBvh: SceneBVH,
  roomBounds: Box3Data,
  floorY: number,
  objects: Asset[],
  rng: Rng,
  options: Partial<PlacementOptions> = {},
): Placement[] {
  const opts = { ...DEFAULT_PLACEMENT_OPTIONS, ...options };
  if (objects.length === 0) return [];
  const wanted = opts.count[0] + rng.int(opts.count[1] - opts.count[0] + 1);
  const placed: Placement[] = [];
  const hit = createRayHit();
  for (let i = 0; i < wanted; i++) {
    for (let t = 0; t < opts.tries; t++) {
      const asset = objects[rng.int(objects.length)];
      const { min, max } = asset.bounds;
      const diagonal = Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
      const s = rng.uniform(opts.size[0], opts.size[1]) / diagonal;
      const yaw = rng.uniform(0, 2 * Math.PI);
      const x = rng.uniform(roomBounds.min[0], roomBounds.max[0]);
      const z = rng.uniform(roomBounds.min[2], roomBounds.max[2]);
      const transform = placementTransform(s, yaw, [x, floorY - s * min[1], z]);
      const box = transformBox(asset.bounds, transform);
      const g = opts.gap;
      // Clear of the room: lifted a centimetre so the floor itself does not count.
      if (
        boxIntersectsScene(
          roomBvh,
          [box.min[0] - g, floorY + 0.01, box.min[2] - g],
          [box.max[0] + g, box.max[1] + g, box.max[2] + g],
        )
      ) {
        continue;
      }
      if (placed.some((p) => boxesOverlap(p.box, box, g))) continue;
      // Floor under the footprint's corners and centre.
      const probes = [
        [box.min[0], box.min[2]],
        [box.min[0], box.max[2]],
        [box.max[0], box.min[2]],
        [box.max[0], box.max[2]],
        [x, z],
      ];
      const onFloor = probes.every(([px, pz]) => {
        raycastFirst(roomBvh, px, floorY + 0.5, pz, 0, -1, 0, 0, 1, hit);
        return hit.triangle >= 0 && Math.abs(floorY + 0.5 - hit.distance - floorY) < 0.03;
      });
      if (!onFloor) continue;
      placed.push({ assetId: asset.id, category: asset.category, transform, box });
      break;
    }
  }
  return placed;
}

function boxesOverlap(a: Box3Data, b: Box3Data, gap: number): boolean {
  for (let k = 0; k < 3; k++) {
    if (a.min[k] > b.max[k] + gap || b.min[k] > a.max[k] + gap) return false;
  }
  return true;
}
