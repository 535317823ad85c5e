import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running the TypeScript (or JavaScript) module at `entry` (a file URL), with
 * `data` available to it as `workerData.data`. Works under tsx, vitest and plain Node.
 */
export function startModuleWorker(entry: URL, data: unknown = null): Worker {
  const boot = new URL('./tsWorkerBoot.mjs', import.meta.url);
  return new Worker(boot, { workerData: { entry: entry.href, data } });
}

/**
 * Starts a child process running the TypeScript (or JavaScript) module at `entry`, talking over IPC
 * with structured cloning (typed arrays survive); its stdout and stderr are pipes for the caller to read. For native code that must own a process of its own:
 * Dawn's teardown crashes in a worker thread, and a crash in a child cannot take its parent down.
 */
export function startModuleProcess(entry: URL, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return fork(fileURLToPath(entry), [], {
    execArgv: ['--import', new URL(`file://${tsx}`).href],
    serialization: 'advanced',
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
}
