import { buildSceneBVH, type SceneMesh } from '@oxels/raycast';
import type { Rng } from '@oxels/core';
import type { Asset, Box3Data } from '../assets/Asset.ts';
import { detectFloor } from './detectFloor.ts';
import { type PlacementOptions, placeObjects } from './placeObjects.ts';
import type { CameraPairScene } from './sampleCameraPair.ts';
import { assetSceneMeshes } from './sceneMeshes.ts';
import type { PlacedObject } from './SceneSpec.ts';

/** A composed room: its objects as plain data, and the BVH of everything (room = instance 0). */
export interface ComposedRoom extends CameraPairScene {
  roomId: string;
  objects: PlacedObject[];
  meshes: SceneMesh[];
}

/**
 * Detects the room's floor, places objects on it (see placeObjects) and builds the BVH of the whole
 * scene, with object i (0-based) as instance i + 1. Deterministic given `rng`.
 */
export function composeRoom(
  room: Asset,
  objects: Asset[],
  rng: Rng,
  placement: Partial<PlacementOptions> = {},
): ComposedRoom {
  const floorY = detectFloor(room);
  const roomMeshes = assetSceneMeshes(room, 0);
  const roomBvh = buildSceneBVH(roomMeshes);
  const placements = placeObjects(roomBvh, room.bounds, floorY, objects, rng, placement);
  const byId = new Map(objects.map((o) => [o.id, o]));
  const meshes = [
    ...roomMeshes,
    ...placements.flatMap((p, i) => assetSceneMeshes(byId.get(p.assetId)!, i + 1, p.transform)),
  ];
  const objectBoxes: Box3Data[] = placements.map((p) => p.box);
  return {
    roomId: room.id,
    objects: placements.map(({ assetId, category, transform }) => ({ assetId, category, transform })),
    meshes,
    bvh: placements.length ? buildSceneBVH(meshes) : roomBvh,
    roomBounds: room.bounds,
    floorY,
    objectBoxes,
  };
}
