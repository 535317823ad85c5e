// @oxels/raycast: camera model, scene BVH and correspondence maps. No rendering, no files.

// camera
export type { Camera, CameraIntrinsics, Vec3 } from './camera/Camera.ts';
export {
  validateCamera,
  intrinsicsFromFov,
  lookAtPose,
  invertPose,
  cameraCentre,
  viewDirection,
} from './camera/Camera.ts';
export type { PixelHit, Projector, Ray3 } from './camera/projection.ts';
export { prepareProjection, projectPoint, unprojectPixel, pixelRay } from './camera/projection.ts';
export { toThreeCamera, fromThreeCamera } from './camera/threeCamera.ts';

// scene BVH and ray casting
export type { SceneMesh, SceneBVH, BuildSceneBVHOptions } from './bvh/SceneBVH.ts';
export { buildSceneBVH, sceneBVHFromBuffers, DEFAULT_BUILD_SCENE_BVH_OPTIONS } from './bvh/SceneBVH.ts';
export type { RayHit } from './bvh/raycastScene.ts';
export { raycastFirst, raycastAny, createRayHit } from './bvh/raycastScene.ts';
export { boxIntersectsScene } from './bvh/boxIntersectsScene.ts';

// correspondences and ray-cast layers (status codes: @oxels/core)
export type {
  CorrespondenceMap,
  CorrespondenceOptions,
  CorrespondenceStats,
} from './correspondence/computeCorrespondences.ts';
export {
  computeCorrespondences,
  correspondencesForPixels,
  sampleCorrespondencePixels,
  correspondenceStats,
  DEFAULT_CORRESPONDENCE_OPTIONS,
} from './correspondence/computeCorrespondences.ts';
export type { RaycastLayers } from './correspondence/raycastDepthMap.ts';
export { raycastDepthMap } from './correspondence/raycastDepthMap.ts';

// errors
export { RaycastError } from './errors.ts';
export type { RaycastErrorCode } from './errors.ts';
