import { Matrix4, PerspectiveCamera } from 'three';
import type { Camera } from './Camera.ts';

/**
 * A three.js PerspectiveCamera that renders exactly what `camera` sees, pixel for pixel: same pose,
 * same focal lengths, same principal point. The off-centre principal point and fx != fy are expressed
 * through `fov`, `aspect` and `setViewOffset`, so three's own `updateProjectionMatrix` (which the
 * renderer calls when it switches coordinate systems, WebGL or WebGPU) rebuilds the same projection.
 * `near` and `far` in metres.
 */
export function toThreeCamera(camera: Camera, near = 0.01, far = 100): PerspectiveCamera {
  const { width: w, height: h, fx, fy, cx, cy } = camera;
  const fovY = (2 * Math.atan(h / (2 * fy)) * 180) / Math.PI;
  const three = new PerspectiveCamera(fovY, (w * fy) / (h * fx), near, far);
  // Shift the full-image frustum so that its centre lands on (cx, cy) instead of (w/2, h/2).
  three.setViewOffset(w, h, w / 2 - cx, h / 2 - cy, w, h);
  // setViewOffset resets aspect to w / h; fx != fy needs ours back.
  three.aspect = (w * fy) / (h * fx);
  three.updateProjectionMatrix();
  // Matrix4.set takes its 16 arguments row-major, as the pose stores them.
  const m = new Matrix4().set(...(camera.pose as Parameters<Matrix4['set']>));
  m.decompose(three.position, three.quaternion, three.scale);
  three.updateMatrixWorld(true);
  return three;
}

/**
 * The Camera equivalent of a three.js PerspectiveCamera rendered at width x height, read from its
 * projection and world matrices (so zoom, view offsets and film offsets are all honoured).
 */
export function fromThreeCamera(three: PerspectiveCamera, width: number, height: number): Camera {
  three.updateMatrixWorld(true);
  three.updateProjectionMatrix();
  const p = three.projectionMatrix.elements; // column-major
  const fx = (p[0] * width) / 2;
  const fy = (p[5] * height) / 2;
  // x_ndc = P00 x/(-z) - P02 ... with P02 = elements[8]: cx = (1 - P02) * w / 2, cy = (1 + P12) * h / 2.
  const cx = ((1 - p[8]) * width) / 2;
  const cy = ((1 + p[9]) * height) / 2;
  const e = three.matrixWorld.elements;
  const pose = [e[0], e[4], e[8], e[12], e[1], e[5], e[9], e[13], e[2], e[6], e[10], e[14], 0, 0, 0, 1];
  return { width, height, fx, fy, cx, cy, pose };
}
