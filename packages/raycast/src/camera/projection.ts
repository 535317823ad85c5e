import type { Camera, Vec3 } from './Camera.ts';
import { invertPose } from './Camera.ts';

/** Where a world point lands in an image: subpixel (u, v) and z-depth -Xc.z (metres, > 0 in front). */
export interface PixelHit {
  u: number;
  v: number;
  depth: number;
}

/**
 * A camera prepared for projecting many points: the world-to-camera matrix is computed once.
 * Plain data; build it with `prepareProjection`.
 */
export interface Projector {
  camera: Camera;
  /** World-to-camera, row-major. */
  view: number[];
}

/** Precomputes the world-to-camera matrix of a camera. */
export function prepareProjection(camera: Camera): Projector {
  return { camera, view: invertPose(camera.pose) };
}

/**
 * Projects the world point (x, y, z) into the camera (docs/architecture.md#projection):
 * u = cx + fx * Xc.x / (-Xc.z), v = cy - fy * Xc.y / (-Xc.z).
 * Writes into `target` and returns it; depth <= 0 means the point is behind the camera (u, v are then
 * meaningless). Non-reentrant use of `target` is the caller's business.
 */
export function projectPoint(p: Projector, x: number, y: number, z: number, target: PixelHit): PixelHit {
  const m = p.view;
  const xc = m[0] * x + m[1] * y + m[2] * z + m[3];
  const yc = m[4] * x + m[5] * y + m[6] * z + m[7];
  const zc = m[8] * x + m[9] * y + m[10] * z + m[11];
  const depth = -zc;
  const { fx, fy, cx, cy } = p.camera;
  target.depth = depth;
  target.u = cx + (fx * xc) / depth;
  target.v = cy - (fy * yc) / depth;
  return target;
}

/** The world point seen at subpixel (u, v) with z-depth `depth` (metres along -Z, not along the ray). */
export function unprojectPixel(camera: Camera, u: number, v: number, depth: number): Vec3 {
  const xc = ((u - camera.cx) / camera.fx) * depth;
  const yc = (-(v - camera.cy) / camera.fy) * depth;
  const zc = -depth;
  const m = camera.pose;
  return [
    m[0] * xc + m[1] * yc + m[2] * zc + m[3],
    m[4] * xc + m[5] * yc + m[6] * zc + m[7],
    m[8] * xc + m[9] * yc + m[10] * zc + m[11],
  ];
}

/** A ray in world space: origin and unit direction. */
export interface Ray3 {
  origin: Vec3;
  direction: Vec3;
}

/**
 * The ray from the camera centre through subpixel (u, v) (pass x + 0.5, y + 0.5 for a pixel centre).
 * Returns the unit direction and, through `cosine`, the factor that turns ray length into z-depth
 * (depth = t * cosine).
 */
export function pixelRay(camera: Camera, u: number, v: number): Ray3 & { cosine: number } {
  const dxc = (u - camera.cx) / camera.fx;
  const dyc = -(v - camera.cy) / camera.fy;
  const inv = 1 / Math.hypot(dxc, dyc, 1);
  const m = camera.pose;
  const a = dxc * inv;
  const b = dyc * inv;
  const c = -inv;
  return {
    origin: [m[3], m[7], m[11]],
    direction: [
      m[0] * a + m[1] * b + m[2] * c,
      m[4] * a + m[5] * b + m[6] * c,
      m[8] * a + m[9] * b + m[10] * c,
    ],
    cosine: inv,
  };
}
