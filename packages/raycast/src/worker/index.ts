// @oxels/raycast/worker: worker-thread helpers (Node only).
export { RaycastPool } from './RaycastPool.ts';
export { startModuleWorker, startModuleProcess } from './startModuleWorker.ts';
export { AsyncQueue } from './AsyncQueue.ts';
