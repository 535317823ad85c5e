import { optionName } from '@oxels/core';
import { availableParallelism } from 'node:os';
import type { BackendName } from '../constants.ts';
import { TrainerError } from '../errors.ts';
import { loadTfGraph } from '../graph/GraphBuilder.ts';
import type { TrainConfig, TrainRunOptions } from '../run/TrainConfig.ts';
import { type BackendInfo, initBackend } from './initBackend.ts';

/** What a run asks of the machine: `TrainRunOptions`' backend part. */
export type BackendRequest = Pick<
  TrainRunOptions,
  'backend' | 'threads' | 'replicas' | 'graph' | 'allowSoftwareGpu'
>;

/** The parts of a run's config that the plan depends on. */
export type PlannedConfig = Pick<TrainConfig, 'objective' | 'batchSize'> & {
  sampling: Pick<TrainConfig['sampling'], 'hardNegatives'>;
};

/** How a run trains on this machine: decided once, by `planBackend`, in this order. */
export interface BackendPlan {
  /** The main thread's backend, initialised and active. */
  backend: BackendInfo;
  /** Threads in all: `--threads`, or with 0 one per core. */
  threads: number;
  /** Data-parallel replicas of the oxel step (`ReplicaPool`); 1 = the step on the main thread. */
  replicas: number;
  /** wasm threads of each replica (meaningful when `replicas` > 1). */
  threadsPerReplica: number;
  /** Whether each step runs as one TensorFlow graph (`GraphTrainStep`). */
  graph: boolean;
  /** Why: one note per decision (backend, threads, replicas, graph), for the log. */
  why: string[];
}

/** The replica part of a plan. */
export interface ReplicaDecision {
  replicas: number;
  threadsPerReplica: number;
  why: string;
}

/**
 * Refuses what no backend could honour: a replica count that is not a non-negative integer, or
 * replicas for an objective or a backend that has none (decided from the request, before any backend
 * is initialised).
 */
export function checkBackendRequest(request: BackendRequest, config: PlannedConfig): void {
  const { replicas, backend } = request;
  if (!Number.isInteger(replicas) || replicas < 0)
    throw new TrainerError(
      'BAD_ARGUMENT',
      `train: ${optionName('replicas')} must be a non-negative integer (got ${replicas})`,
    );
  const splittable = config.objective === 'oxel' && (backend === 'wasm' || backend === 'auto');
  if (replicas > 1 && !splittable)
    throw new TrainerError(
      'BAD_ARGUMENT',
      `train: ${optionName('replicas')} ${replicas} needs the oxel objective on the wasm backend (got ${config.objective} on ${backend})`,
    );
}

/**
 * The replicas of a run on `backend` (resolved), with `cores` threads when `--threads` is 0: on wasm,
 * `request.replicas`, or with 0 one per thread (at most one per pair) for the oxel objective; 1
 * everywhere else (replicas gave no gain on tensorflow, see README "Training backends"). The thread
 * budget is shared out among the replicas, at least one each.
 */
export function decideReplicas(
  backend: BackendInfo['backend'],
  request: Pick<BackendRequest, 'threads' | 'replicas'>,
  config: PlannedConfig,
  cores: number,
): ReplicaDecision {
  const threads = request.threads > 0 ? request.threads : cores;
  const single = (why: string): ReplicaDecision => ({ replicas: 1, threadsPerReplica: threads, why });
  if (backend !== 'wasm') {
    return single(
      request.replicas > 1
        ? `no replicas: ${optionName('replicas')} ${request.replicas} is for wasm, and the backend is ${backend}`
        : 'no replicas (a wasm feature)',
    );
  }
  if (config.objective !== 'oxel') return single(`no replicas (${config.objective} runs on the main thread)`);
  if (request.replicas === 1) return single(`no replicas (${optionName('replicas')} 1)`);
  const replicas = request.replicas > 0 ? request.replicas : Math.min(threads, config.batchSize);
  if (replicas === 1) return single('no replicas (one thread)');
  const threadsPerReplica = Math.max(1, Math.floor(threads / replicas));
  const how =
    request.replicas > 0
      ? `${optionName('replicas')} ${replicas}`
      : replicas < threads
        ? 'one per pair'
        : 'one per thread';
  return {
    replicas,
    threadsPerReplica,
    why: `${replicas} replicas of ${threadsPerReplica} thread${threadsPerReplica === 1 ? '' : 's'} (${how})`,
  };
}

/**
 * Whether the steps go through the whole-step graph: where it can run (tensorflow backend, oxel
 * objective, no hard negatives, the addon built: `addonMissing` returns '' or why not) unless `wanted`
 * is false; `wanted` true where it cannot is an error saying why.
 */
export function decideGraph(
  wanted: boolean | undefined,
  backend: BackendInfo['backend'],
  config: PlannedConfig,
  addonMissing: () => string,
): { graph: boolean; why: string } {
  if (wanted === false) return { graph: false, why: `op by op (${optionName('noGraph')})` };
  let why = '';
  if (backend !== 'tensorflow') why = `it needs the tensorflow backend (this run has ${backend})`;
  else if (config.objective !== 'oxel')
    why = `it runs the oxel objective only (this run trains ${config.objective})`;
  else if (config.sampling.hardNegatives > 0)
    why = `it does not mine hard negatives (this run has ${optionName('hardNegatives')} > 0)`;
  else why = addonMissing();
  if (why && wanted)
    throw new TrainerError('BAD_ARGUMENT', `runTraining: the whole-step graph cannot run: ${why}`);
  return why
    ? { graph: false, why: `op by op (no whole-step graph: ${why})` }
    : { graph: true, why: 'each step one TensorFlow graph' };
}

/** '' when the graph addon loads, else why not (its message says how to build it). */
function graphAddonMissing(): string {
  try {
    loadTfGraph();
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Plans how a run trains here, in order: the backend (initialised: `auto` resolved to the one it
 * chose), then the threads, then the replicas and the graph, each with why. wasm's own thread count is
 * fixed at its first initialisation, so the replicas wasm would get are worked out before: 1 thread on
 * the main thread when the step is split, else the whole budget.
 * @throws TrainerError BAD_ARGUMENT for a request no backend can honour (see `checkBackendRequest`),
 *   hard negatives on webgpu, or `graph: true` where the graph cannot run; BACKEND_UNAVAILABLE from
 *   `initBackend`
 */
export async function planBackend(
  request: BackendRequest,
  config: PlannedConfig,
  cores = availableParallelism(),
): Promise<BackendPlan> {
  checkBackendRequest(request, config);
  const onWasm = decideReplicas('wasm', request, config, cores);
  const backend = await initBackend(request.backend, {
    threads: request.threads,
    wasmThreads: onWasm.replicas > 1 ? 1 : request.threads,
    allowSoftwareGpu: request.allowSoftwareGpu ?? false,
  });
  if (backend.backend === 'webgpu' && config.sampling.hardNegatives > 0) {
    // mineHardNegatives reads descriptors mid-step, synchronously; webgpu reads only asynchronously in Node.
    throw new TrainerError(
      'BAD_ARGUMENT',
      `runTraining: ${optionName('hardNegatives')} needs a backend that reads synchronously (tensorflow, wasm); webgpu does not`,
    );
  }
  const threads = request.threads > 0 ? request.threads : cores;
  const replicas =
    backend.backend === 'wasm' ? onWasm : decideReplicas(backend.backend, request, config, cores);
  const graph = decideGraph(request.graph, backend.backend, config, graphAddonMissing);
  return {
    backend,
    threads,
    replicas: replicas.replicas,
    threadsPerReplica: replicas.threadsPerReplica,
    graph: graph.graph,
    why: [
      backendNote(request.backend, backend.backend),
      `${threads} thread${threads === 1 ? '' : 's'}${request.threads > 0 ? ` (${optionName('threads')})` : ' (one per core)'}`,
      replicas.why,
      graph.why,
    ],
  };
}

function backendNote(asked: BackendName, got: BackendInfo['backend']): string {
  return asked === 'auto' ? `${got} (auto's choice)` : `${got} (${optionName('backend')})`;
}
