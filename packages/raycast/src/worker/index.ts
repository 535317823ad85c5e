// @oxels/raycast/worker: ray casting spread over worker threads (Node only).
export { RaycastPool } from './RaycastPool.ts';
