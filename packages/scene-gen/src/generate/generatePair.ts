import {
  type CorrespondenceMap,
  type CorrespondenceStats,
  computeCorrespondences,
  correspondenceStats,
  intrinsicsFromFov,
} from '@oxels/raycast';
import { createRng, deriveSeed } from '@oxels/core';
import type { Asset } from '../assets/Asset.ts';
import type { Scene } from 'three/webgpu';
import { SceneGenError } from '../errors.ts';
import { setSceneLighting } from '../render/buildLights.ts';
import { buildThreeScene } from '../render/buildThreeScene.ts';
import type { Renderer } from '../render/Renderer.ts';
import { renderView } from '../render/renderView.ts';
import type { ThreeAssetCache } from '../render/ThreeAssetCache.ts';
import type { ComposedRoom } from '../scene/composeScene.ts';
import { randomLighting } from '../scene/randomLighting.ts';
import { type CameraPair, sampleCameraPair } from '../scene/sampleCameraPair.ts';
import { sampleKey, type ViewPairMeta, type ViewPairSample } from '@oxels/dataset';
import type { GenerateConfig } from './GenerateConfig.ts';

/** Milliseconds spent in each stage of one pair (encode: 0 where the pair is not encoded). */
export interface PairTimings {
  compose: number;
  render: number;
  correspondences: number;
  encode: number;
}

/** One generated pair, as typed arrays: what the shard writer encodes and a live run trains on. */
export interface GeneratedPair {
  sample: ViewPairSample;
  stats: CorrespondenceStats;
  timings: Omit<PairTimings, 'encode'>;
  /** Set when no attempt reached the minimum match fraction (the best one was kept). */
  warning?: string;
}

/** A composed room with its loaded assets (room and objects), by id. */
export interface RoomContext {
  index: number;
  composed: ComposedRoom;
  assets: Map<string, Asset>;
  /** Its three.js scene, built at the first pair and re-lit for each next one. */
  scene?: Scene;
}

/**
 * Generates pair `pair` of room `room.index`: samples camera pairs (re-sampling while the match
 * fraction is under `config.minMatchFraction`), lights the scene and renders both views. Everything random follows from (config.seed, room index, pair index, attempt).
 * `composeMs` is the room's composition time, charged to this pair for the timing split.
 */
export async function generatePair(
  room: RoomContext,
  pair: number,
  config: GenerateConfig,
  renderer: Renderer,
  cache: ThreeAssetCache,
  composeMs = 0,
): Promise<GeneratedPair> {
  const intrinsics = intrinsicsFromFov(config.width, config.height, config.fovY);
  const pairSeed = deriveSeed(config.seed, 2, room.index, pair);
  let best: { cams: CameraPair; map: CorrespondenceMap; stats: CorrespondenceStats; attempt: number } | null =
    null;
  let correspondencesMs = 0;
  let posesMs = 0;
  for (let attempt = 0; attempt < config.maxAttempts; attempt++) {
    const rng = createRng(deriveSeed(pairSeed, attempt));
    const tp = performance.now();
    const cams = sampleCameraPair(room.composed, intrinsics, rng);
    const tc = performance.now();
    // A cheap look at 1/256 of the pixels first: a pair that clearly fails costs no full map.
    const probe = computeCorrespondences(room.composed.bvh, cams.camA, cams.camB, {
      seed: deriveSeed(pairSeed, attempt, 3),
      fraction: 1 / 256,
      tolerance: config.tolerance,
    });
    if (correspondenceStats(probe).matchFraction < config.minMatchFraction / 2) {
      correspondencesMs += performance.now() - tc;
      posesMs += tc - tp;
      continue;
    }
    const map = computeCorrespondences(room.composed.bvh, cams.camA, cams.camB, {
      seed: deriveSeed(pairSeed, attempt, 1),
      tolerance: config.tolerance,
    });
    correspondencesMs += performance.now() - tc;
    posesMs += tc - tp;
    const stats = correspondenceStats(map);
    if (!best || stats.matchFraction > best.stats.matchFraction) best = { cams, map, stats, attempt };
    if (stats.matchFraction >= config.minMatchFraction) break;
  }
  if (!best) {
    throw new SceneGenError(
      'NO_POSE',
      `generatePair: room ${room.composed.roomId}: no camera pair of ${config.maxAttempts} sees a common part of the scene`,
    );
  }
  const { cams, map, stats, attempt } = best;

  const tl = performance.now();
  const { composed } = room;
  const lighting = randomLighting(
    createRng(deriveSeed(pairSeed, attempt, 2)),
    composed.roomBounds,
    composed.floorY,
  );
  room.scene ??= buildThreeScene(
    { roomId: composed.roomId, objects: composed.objects, lighting, floorY: composed.floorY },
    room.assets,
    cache,
  );
  setSceneLighting(room.scene, lighting);
  const scene = room.scene;
  const layers = { depth: config.depth, instances: config.instances };
  const tr = performance.now();
  const [viewA, viewB] = await Promise.all([
    renderView(renderer, scene, cams.camA, layers),
    renderView(renderer, scene, cams.camB, layers),
  ]);
  const te = performance.now();
  const { camA, camB } = cams;
  const meta: ViewPairMeta = {
    key: sampleKey(room.index, pair),
    width: config.width,
    height: config.height,
    fx: camA.fx,
    fy: camA.fy,
    cx: camA.cx,
    cy: camA.cy,
    poseA: camA.pose,
    poseB: camB.pose,
    room: { index: room.index, id: composed.roomId },
    objects: composed.objects.map((o, i) => ({ instance: i + 1, ...o })),
    seeds: { scene: config.seed, pair: pairSeed, attempt },
    stats,
  };
  const sample: ViewPairSample = {
    // The values a shard's .json holds (JSON has no -0, which poses have): a live sample equals one read back.
    meta: JSON.parse(JSON.stringify(meta)),
    rgbA: viewA.rgb,
    rgbB: viewB.rgb,
    aIndex: map.aIndex,
    bXY: map.bXY,
    status: map.status,
    // Only the layers rendered: a sample read back from a shard has no key for the others either.
    ...(viewA.depth && viewB.depth && { depthA: viewA.depth, depthB: viewB.depth }),
    ...(viewA.instances && viewB.instances && { instA: viewA.instances, instB: viewB.instances }),
  };
  return {
    sample,
    stats,
    timings: {
      compose: composeMs + posesMs + (tr - tl),
      render: te - tr,
      correspondences: correspondencesMs,
    },
    warning:
      stats.matchFraction < config.minMatchFraction
        ? `pair ${sampleKey(room.index, pair)}: best of ${config.maxAttempts} attempts matches only ${(100 * stats.matchFraction).toFixed(1)}% of samples; kept`
        : undefined,
  };
}
