import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running the TypeScript (or JavaScript) module at `entry` (a file URL), with
 * `data` available to it as `workerData.data`. Works under tsx, vitest and plain Node.
 */
export function startModuleWorker(entry: URL, data: unknown = null): Worker {
  const boot = new URL('./tsWorkerBoot.mjs', import.meta.url);
  return new Worker(boot, { workerData: { entry: entry.href, data } });
}
