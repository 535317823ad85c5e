import { assert } from '../errors.ts';

/**
 * Pinhole intrinsics in pixels. Pixel (u, v): u to the right, v downwards, origin at the image's
 * top-left corner; pixel i = y * width + x covers [x, x+1) x [y, y+1), its centre is (x+0.5, y+0.5).
 */
export interface CameraIntrinsics {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
}

/**
 * A pinhole camera as plain data (JSON- and worker-friendly).
 * `pose` is the 4x4 camera-to-world matrix, row-major, OpenGL convention: the camera looks down -Z,
 * +Y is up, +X is right. World units are metres.
 */
export interface Camera extends CameraIntrinsics {
  pose: number[];
}

/** A 3-vector as a tuple, metres in world space unless said otherwise. */
export type Vec3 = [number, number, number];

const ORTHONORMAL_TOLERANCE = 1e-4;

/**
 * Checks a camera and returns it: positive integer size, finite positive focal lengths, and a rigid
 * pose (orthonormal rotation, last row 0 0 0 1). Throws RaycastError('BAD_CAMERA') naming what is wrong.
 */
export function validateCamera(camera: Camera, name = 'camera'): Camera {
  const { width, height, fx, fy, cx, cy, pose } = camera;
  assert(
    Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0,
    'BAD_CAMERA',
    () => `validateCamera: ${name} size must be positive integers (got ${width}x${height})`,
  );
  assert(
    Number.isFinite(fx) && Number.isFinite(fy) && fx > 0 && fy > 0,
    'BAD_CAMERA',
    () => `validateCamera: ${name} focal lengths must be finite and > 0 (got fx=${fx}, fy=${fy})`,
  );
  assert(
    Number.isFinite(cx) && Number.isFinite(cy),
    'BAD_CAMERA',
    () => `validateCamera: ${name} principal point must be finite (got cx=${cx}, cy=${cy})`,
  );
  assert(
    Array.isArray(pose) && pose.length === 16 && pose.every(Number.isFinite),
    'BAD_CAMERA',
    () => `validateCamera: ${name} pose must be 16 finite numbers, row-major (got ${JSON.stringify(pose)})`,
  );
  const lastRowOk = pose[12] === 0 && pose[13] === 0 && pose[14] === 0 && pose[15] === 1;
  assert(lastRowOk, 'BAD_CAMERA', () => `validateCamera: ${name} pose last row must be 0 0 0 1`);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      // Columns of the rotation must be orthonormal: R^T R = I.
      const dot = pose[i] * pose[j] + pose[4 + i] * pose[4 + j] + pose[8 + i] * pose[8 + j];
      const expected = i === j ? 1 : 0;
      assert(
        Math.abs(dot - expected) < ORTHONORMAL_TOLERANCE,
        'BAD_CAMERA',
        () =>
          `validateCamera: ${name} pose rotation is not orthonormal (column ${i}.${j} = ${dot.toFixed(6)}, expected ${expected}); ` +
          'a degenerate look-at (eye == target, or view direction parallel to up) gives this',
      );
    }
  }
  return camera;
}

/** Intrinsics for a vertical field of view in degrees, square pixels, principal point at the image centre. */
export function intrinsicsFromFov(width: number, height: number, fovYDegrees: number): CameraIntrinsics {
  const f = height / 2 / Math.tan((fovYDegrees * Math.PI) / 360);
  return { width, height, fx: f, fy: f, cx: width / 2, cy: height / 2 };
}

/**
 * Camera-to-world pose (row-major) of a camera at `eye` looking at `target`, with `up` (+Y by default)
 * as close to the image's up direction as possible. Degenerate input (eye == target, or the view
 * direction parallel to up) throws.
 */
export function lookAtPose(eye: Vec3, target: Vec3, up: Vec3 = [0, 1, 0]): number[] {
  // Camera axes in world space: z points backwards (the camera looks down -z).
  const z = normalize([eye[0] - target[0], eye[1] - target[1], eye[2] - target[2]], 'eye - target');
  const x = normalize(cross(up, z), 'up x view direction');
  const y = cross(z, x);
  return [x[0], y[0], z[0], eye[0], x[1], y[1], z[1], eye[1], x[2], y[2], z[2], eye[2], 0, 0, 0, 1];
}

/** Inverse of a rigid row-major pose: the world-to-camera matrix, row-major. */
export function invertPose(pose: number[]): number[] {
  const [r00, r01, r02, tx, r10, r11, r12, ty, r20, r21, r22, tz] = pose;
  // [R t]^-1 = [R^T, -R^T t]
  return [
    r00,
    r10,
    r20,
    -(r00 * tx + r10 * ty + r20 * tz),
    r01,
    r11,
    r21,
    -(r01 * tx + r11 * ty + r21 * tz),
    r02,
    r12,
    r22,
    -(r02 * tx + r12 * ty + r22 * tz),
    0,
    0,
    0,
    1,
  ];
}

/** The camera centre (optical centre) in world space. */
export function cameraCentre(camera: Camera): Vec3 {
  return [camera.pose[3], camera.pose[7], camera.pose[11]];
}

/** Unit viewing direction (-Z axis of the camera) in world space. */
export function viewDirection(camera: Camera): Vec3 {
  return [-camera.pose[2], -camera.pose[6], -camera.pose[10]];
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function normalize(v: Vec3, what: string): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  assert(
    n > 1e-12 && Number.isFinite(n),
    'BAD_CAMERA',
    () => `lookAtPose: ${what} is degenerate (length ${n})`,
  );
  return [v[0] / n, v[1] / n, v[2] / n];
}
