import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startModuleProcess } from '@oxels/core';
import { SceneGenError } from '../errors.ts';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './pairWorker.ts';

/**
 * The worker processes of gen-scenes, each with its own renderer (Dawn's teardown is not safe in a
 * worker thread, and a native crash in a child cannot take the parent down). `run` feeds them jobs.
 */
export class PairWorkerPool {
  private constructor(private readonly workers: ChildProcess[]) {}

  /** Starts `count` worker processes; their own output lines (less Dawn's start-up notes) go to `log`. */
  static start(setup: WorkerSetup, count: number, log: (message: string) => void): PairWorkerPool {
    const workers = Array.from({ length: count }, () => {
      // Dawn reads EGL_PLATFORM when it loads (surfaceless EGL: no X server needed).
      const env = { EGL_PLATFORM: 'surfaceless', ...process.env };
      const child = startModuleProcess(new URL('./pairWorker.ts', import.meta.url), env);
      forwardOutput(child, log);
      child.send(setup);
      return child;
    });
    return new PairWorkerPool(workers);
  }

  /**
   * Runs the jobs (any iterable, possibly endless), handing each worker its next job when it is done.
   * Replies are passed to `onReply` one at a time in arrival order, and a worker gets its next job only
   * once `onReply` has finished with its 'done' reply: a slow consumer slows the workers (backpressure).
   * Resolves when every job is done; rejects on the first worker error, or when `onReply` throws.
   */
  run(jobs: Iterable<WorkerRequest>, onReply: (reply: WorkerReply) => Promise<void>): Promise<void> {
    const queue = jobs[Symbol.iterator]();
    return new Promise((resolve, reject) => {
      let busy = 0;
      let exhausted = false;
      let failed = false;
      let chain = Promise.resolve();
      const fail = (err: Error) => {
        if (!failed) reject(err);
        failed = true;
      };
      const give = (w: ChildProcess) => {
        if (failed) return;
        const next = exhausted ? null : queue.next();
        if (next && !next.done) {
          busy++;
          w.send(next.value);
          return;
        }
        exhausted = true;
        if (busy === 0) resolve();
      };
      for (const w of this.workers) {
        w.removeAllListeners('message');
        w.on('message', (reply: WorkerReply) => {
          chain = chain
            .then(async () => {
              if (failed) return;
              if (reply.kind === 'error')
                throw new SceneGenError('RENDER_FAILED', `gen-scenes worker: ${reply.message}`);
              await onReply(reply);
              if (reply.kind === 'done') {
                busy--;
                give(w);
              }
            })
            .catch(fail);
        });
        w.once('error', (err) =>
          fail(new SceneGenError('RENDER_FAILED', `gen-scenes worker failed: ${err.message}`)),
        );
        w.once('exit', (code, signal) => {
          if (!exhausted || busy > 0) {
            fail(
              new SceneGenError(
                'RENDER_FAILED',
                `gen-scenes worker process ${w.pid} died (exit code ${code}, signal ${signal})`,
              ),
            );
          }
        });
        give(w);
      }
    });
  }

  /** Asks every worker to dispose of its renderer and exit; kills those that do not within 5 s. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map(stopWorker));
  }
}

function stopWorker(w: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (w.exitCode !== null || w.signalCode !== null) return resolve();
    const timer = setTimeout(() => w.kill('SIGKILL'), 5000);
    w.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    w.send('stop');
  });
}

// Dawn's notes on every start (no Vulkan loader on a CPU machine, limits clamped for GLES): not news.
const DAWN_NOISE = /artificially reduced|Couldn't load Vulkan|BackendVk\.cpp|^\s*$/;

/** Passes a worker's own output lines on to `log`, without Dawn's start-up notes. */
function forwardOutput(child: ChildProcess, log: (message: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      if (!DAWN_NOISE.test(line)) log(`worker ${child.pid}: ${line}`);
    });
  }
}
