// @oxels/raycast: camera model, scene BVH and correspondence maps. No rendering, no files.

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
export type { RaycastErrorCode } from './errors.ts';
// errors
export { RaycastError } from './errors.ts';
