// @oxels/raycast: camera model, scene BVH and correspondence maps. No rendering, no files.

export type { RayHit } from './bvh/raycastScene.ts';
export { createRayHit, raycastAny, raycastFirst } from './bvh/raycastScene.ts';
// scene BVH and ray casting
export type { BuildSceneBVHOptions, SceneBVH, SceneMesh } from './bvh/SceneBVH.ts';
export { buildSceneBVH, DEFAULT_BUILD_SCENE_BVH_OPTIONS, sceneBVHFromBuffers } from './bvh/SceneBVH.ts';
// camera
export type { Camera, CameraIntrinsics, Vec3 } from './camera/Camera.ts';
export {
  cameraCentre,
  intrinsicsFromFov,
  invertPose,
  lookAtPose,
  validateCamera,
  viewDirection,
} from './camera/Camera.ts';
export type { PixelHit, Projector, Ray3 } from './camera/projection.ts';
export { pixelRay, prepareProjection, projectPoint, unprojectPixel } from './camera/projection.ts';
export { fromThreeCamera, toThreeCamera } from './camera/threeCamera.ts';
// correspondences and ray-cast layers
export { CorrespondenceStatus, NO_INSTANCE } from './constants.ts';
export type {
  CorrespondenceMap,
  CorrespondenceOptions,
  CorrespondenceStats,
} from './correspondence/computeCorrespondences.ts';
export {
  computeCorrespondences,
  correspondenceStats,
  correspondencesForPixels,
  DEFAULT_CORRESPONDENCE_OPTIONS,
  sampleCorrespondencePixels,
} from './correspondence/computeCorrespondences.ts';
export type { RaycastLayers } from './correspondence/raycastDepthMap.ts';
export { raycastDepthMap } from './correspondence/raycastDepthMap.ts';
export type { RaycastErrorCode } from './errors.ts';
// errors
export { RaycastError } from './errors.ts';
// randomness
export type { Rng } from './random.ts';
export { createRng, sampleWithoutReplacement } from './random.ts';
