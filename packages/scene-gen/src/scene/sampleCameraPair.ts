import {
  boxIntersectsScene,
  type Camera,
  type CameraIntrinsics,
  createRayHit,
  lookAtPose,
  raycastFirst,
  type SceneBVH,
  type Vec3,
} from '@oxels/raycast';
import type { Rng } from '@oxels/core';
import type { Box3Data } from '../assets/Asset.ts';
import { SceneGenError } from '../errors.ts';

/** Constraints on a camera pair, after the paper's (all distances in metres, angles in degrees). */
export interface CameraPairConstraints {
  /** Camera height above the floor. */
  height: [number, number];
  /** Distance from the camera to its look-at target. */
  distance: [number, number];
  /** Distance between the two camera centres. */
  baseline: [number, number];
  /** Largest angle between the two viewing directions. */
  maxAngle: number;
  /** Free space around each camera centre (no surface within this box half-size). */
  clearance: number;
  /** Largest shift of each camera's look-at point from the shared target, so targets are not always centred. */
  targetJitter: number;
}

/** The paper's constraints, then looser ones tried in turn when no pose is found. */
export const CAMERA_PAIR_RELAXATION: CameraPairConstraints[] = [
  {
    height: [0.5, 3],
    distance: [1, 3],
    baseline: [0.5, 3],
    maxAngle: 65,
    clearance: 0.15,
    targetJitter: 0.25,
  },
  {
    height: [0.4, 3],
    distance: [0.8, 3.5],
    baseline: [0.35, 3.5],
    maxAngle: 75,
    clearance: 0.12,
    targetJitter: 0.25,
  },
  {
    height: [0.3, 3],
    distance: [0.6, 4.5],
    baseline: [0.25, 4],
    maxAngle: 90,
    clearance: 0.1,
    targetJitter: 0.2,
  },
];

/** Options of `sampleCameraPair`. */
export interface CameraPairOptions {
  /** Constraint levels, tried in order. */
  levels: CameraPairConstraints[];
  /** Tries per level. */
  tries: number;
  /** Probability that the target is a placed object (else a random visible point of the room). */
  objectTargetProbability: number;
}

export const DEFAULT_CAMERA_PAIR_OPTIONS: CameraPairOptions = {
  levels: CAMERA_PAIR_RELAXATION,
  tries: 80,
  objectTargetProbability: 0.8,
};

/** What a camera pair is sampled in: the full scene's BVH and where its floor and objects are. */
export interface CameraPairScene {
  bvh: SceneBVH;
  roomBounds: Box3Data;
  floorY: number;
  /** World boxes of the placed objects; instance id of objectBoxes[i] is i + 1. */
  objectBoxes: Box3Data[];
}

/** A sampled pair and the relaxation level it needed (0 = the paper's constraints). */
export interface CameraPair {
  camA: Camera;
  camB: Camera;
  level: number;
}

/**
 * Samples two cameras looking at a common target: each at a height in range above the floor, at a
 * distance in range from the target, with a clear line of sight to it and free space around it; a
 * baseline in range and at most `maxAngle` between the view directions. Relaxes the constraints
 * level by level when a level's tries all fail; throws SceneGenError('NO_POSE') if none succeeds.
 */
export function sampleCameraPair(
  scene: CameraPairScene,
  intrinsics: CameraIntrinsics,
  rng: Rng,
  options: Partial<CameraPairOptions> = {},
): CameraPair {
  const opts = { ...DEFAULT_CAMERA_PAIR_OPTIONS, ...options };
  for (let level = 0; level < opts.levels.length; level++) {
    const c = opts.levels[level];
    for (let t = 0; t < opts.tries; t++) {
      const target = sampleTarget(scene, rng, opts.objectTargetProbability);
      if (!target) continue;
      const eyeA = sampleEye(scene, target, c, rng);
      const eyeB = eyeA && sampleEye(scene, target, c, rng);
      if (!eyeA || !eyeB) continue;
      const baseline = Math.hypot(eyeA[0] - eyeB[0], eyeA[1] - eyeB[1], eyeA[2] - eyeB[2]);
      if (baseline < c.baseline[0] || baseline > c.baseline[1]) continue;
      const lookA = jitter(target.point, c.targetJitter, rng);
      const lookB = jitter(target.point, c.targetJitter, rng);
      if (angleBetween(sub(lookA, eyeA), sub(lookB, eyeB)) > c.maxAngle) continue;
      return {
        camA: { ...intrinsics, pose: lookAtPose(eyeA, lookA) },
        camB: { ...intrinsics, pose: lookAtPose(eyeB, lookB) },
        level,
      };
    }
  }
  throw new SceneGenError(
    'NO_POSE',
    `sampleCameraPair: no camera pair satisfies even the loosest constraints after ${opts.levels.length * opts.tries} tries ` +
      '(is the room closed and large enough?)',
  );
}

const hit = createRayHit();

/** A point to look at: inside a placed object's box, or a point of the room seen from its centre. */
function sampleTarget(
  scene: CameraPairScene,
  rng: Rng,
  objectProbability: number,
): { point: Vec3; instance: number } | null {
  if (scene.objectBoxes.length > 0 && rng.next() < objectProbability) {
    const i = rng.int(scene.objectBoxes.length);
    const { min, max } = scene.objectBoxes[i];
    const point: Vec3 = [0, 1, 2].map((k) => min[k] + (max[k] - min[k]) * rng.uniform(0.3, 0.7)) as Vec3;
    return { point, instance: i + 1 };
  }
  const { min, max } = scene.roomBounds;
  const origin: Vec3 = [(min[0] + max[0]) / 2, scene.floorY + 1.3, (min[2] + max[2]) / 2];
  const d = randomDirection(rng);
  raycastFirst(scene.bvh, ...origin, ...d, 0, Number.POSITIVE_INFINITY, hit);
  if (hit.triangle < 0) return null;
  const t = hit.distance * 0.98; // just in front of the surface
  return {
    point: [origin[0] + t * d[0], origin[1] + t * d[1], origin[2] + t * d[2]],
    instance: hit.instance,
  };
}

/** A camera centre at the constrained height and distance from the target, in free space, seeing it. */
function sampleEye(
  scene: CameraPairScene,
  target: { point: Vec3; instance: number },
  c: CameraPairConstraints,
  rng: Rng,
): Vec3 | null {
  const [tx, ty, tz] = target.point;
  const y = scene.floorY + rng.uniform(c.height[0], c.height[1]);
  const distance = rng.uniform(c.distance[0], c.distance[1]);
  const horizontal2 = distance * distance - (y - ty) * (y - ty);
  if (horizontal2 < 0.04) return null; // looking (almost) straight down or up
  const azimuth = rng.uniform(0, 2 * Math.PI);
  const eye: Vec3 = [
    tx + Math.sqrt(horizontal2) * Math.cos(azimuth),
    y,
    tz + Math.sqrt(horizontal2) * Math.sin(azimuth),
  ];
  const { min, max } = scene.roomBounds;
  if (eye[0] < min[0] || eye[0] > max[0] || eye[2] < min[2] || eye[2] > max[2] || eye[1] > max[1])
    return null;
  const r = c.clearance;
  if (
    boxIntersectsScene(scene.bvh, [eye[0] - r, eye[1] - r, eye[2] - r], [eye[0] + r, eye[1] + r, eye[2] + r])
  )
    return null;
  // Line of sight: the first surface towards the target is the target's own object, or lies (almost) at it.
  const d = sub(target.point, eye);
  const len = Math.hypot(...d);
  raycastFirst(scene.bvh, ...eye, d[0] / len, d[1] / len, d[2] / len, 0, Number.POSITIVE_INFINITY, hit);
  const clear =
    hit.triangle < 0 ||
    hit.distance > len * 0.97 ||
    (target.instance > 0 && hit.instance === target.instance);
  return clear ? eye : null;
}

function randomDirection(rng: Rng): Vec3 {
  const z = rng.uniform(-0.6, 0.4); // mostly level or downwards: walls, floor, objects
  const a = rng.uniform(0, 2 * Math.PI);
  const r = Math.sqrt(1 - z * z);
  return [r * Math.cos(a), z, r * Math.sin(a)];
}

function jitter(p: Vec3, amount: number, rng: Rng): Vec3 {
  return [
    p[0] + rng.uniform(-amount, amount),
    p[1] + rng.uniform(-amount, amount),
    p[2] + rng.uniform(-amount, amount),
  ];
}

function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

function angleBetween(a: Vec3, b: Vec3): number {
  const cos = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (Math.hypot(...a) * Math.hypot(...b));
  return (Math.acos(Math.min(1, Math.max(-1, cos))) * 180) / Math.PI;
}
