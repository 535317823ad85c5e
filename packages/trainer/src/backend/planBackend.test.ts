import { describe, expect, it } from 'vitest';
import type { TrainObjectiveName } from '../run/TrainConfig.ts';
import { initBackend } from './initBackend.ts';
import {
  type BackendRequest,
  checkBackendRequest,
  decideGraph,
  decideReplicas,
  type PlannedConfig,
  planBackend,
} from './planBackend.ts';

const config = (objective: TrainObjectiveName = 'oxel', batchSize = 8, hardNegatives = 0): PlannedConfig => ({
  objective,
  batchSize,
  sampling: { hardNegatives },
});

describe('decideReplicas', () => {
  // On a 4-core machine, 8 pairs a step unless said otherwise.
  const table: [
    string,
    'wasm' | 'tensorflow' | 'webgpu',
    { threads: number; replicas: number },
    PlannedConfig,
    [number, number],
  ][] = [
    ['wasm, all defaults: one per thread', 'wasm', { threads: 0, replicas: 0 }, config(), [4, 1]],
    ['wasm, --threads 2', 'wasm', { threads: 2, replicas: 0 }, config(), [2, 1]],
    [
      'wasm, 2 pairs: one per pair, the threads shared out',
      'wasm',
      { threads: 0, replicas: 0 },
      config('oxel', 2),
      [2, 2],
    ],
    ['wasm, --threads 1', 'wasm', { threads: 1, replicas: 0 }, config(), [1, 1]],
    [
      'wasm, --replicas 1: the main thread with every thread',
      'wasm',
      { threads: 0, replicas: 1 },
      config(),
      [1, 4],
    ],
    ['wasm, --replicas 3 --threads 8', 'wasm', { threads: 8, replicas: 3 }, config(), [3, 2]],
    [
      'wasm, --replicas 6 on 4 threads: one thread each at least',
      'wasm',
      { threads: 0, replicas: 6 },
      config(),
      [6, 1],
    ],
    ['wasm, vader: on the main thread', 'wasm', { threads: 0, replicas: 0 }, config('vader'), [1, 4]],
    ['wasm, clove: on the main thread', 'wasm', { threads: 2, replicas: 0 }, config('clove'), [1, 2]],
    ['tensorflow: never split', 'tensorflow', { threads: 0, replicas: 0 }, config(), [1, 4]],
    [
      'tensorflow (auto chose it) with --replicas 3',
      'tensorflow',
      { threads: 0, replicas: 3 },
      config(),
      [1, 4],
    ],
    ['webgpu, --threads 2', 'webgpu', { threads: 2, replicas: 0 }, config(), [1, 2]],
  ];
  for (const [name, backend, request, c, [replicas, threadsPerReplica]] of table) {
    it(name, () => {
      const d = decideReplicas(backend, request, c, 4);
      expect([d.replicas, d.threadsPerReplica]).toEqual([replicas, threadsPerReplica]);
      expect(d.why).not.toBe('');
    });
  }

  it('says why in words', () => {
    expect(decideReplicas('wasm', { threads: 0, replicas: 0 }, config(), 4).why).toBe(
      '4 replicas of 1 thread (one per thread)',
    );
    expect(decideReplicas('wasm', { threads: 0, replicas: 0 }, config('oxel', 2), 4).why).toBe(
      '2 replicas of 2 threads (one per pair)',
    );
    expect(decideReplicas('tensorflow', { threads: 0, replicas: 3 }, config(), 4).why).toBe(
      'no replicas: `replicas` 3 is for wasm, and the backend is tensorflow',
    );
    expect(decideReplicas('wasm', { threads: 0, replicas: 0 }, config('vader'), 4).why).toBe(
      'no replicas (vader runs on the main thread)',
    );
  });
});

describe('checkBackendRequest', () => {
  const ok = (request: Partial<BackendRequest>, c = config()) =>
    checkBackendRequest({ backend: 'auto', threads: 0, replicas: 0, ...request }, c);
  it('refuses replica counts that are not non-negative integers', () => {
    expect(() => ok({ replicas: -1 })).toThrow('train: `replicas` must be a non-negative integer (got -1)');
    expect(() => ok({ replicas: 1.5 })).toThrow(/got 1.5/);
  });
  it('refuses replicas for other objectives and backends, naming what was asked', () => {
    expect(() => ok({ replicas: 2 }, config('vader'))).toThrow(
      'train: `replicas` 2 needs the oxel objective on the wasm backend (got vader on auto)',
    );
    expect(() => ok({ backend: 'tensorflow', replicas: 2 })).toThrow(/\(got oxel on tensorflow\)/);
    expect(() => ok({ backend: 'webgpu', replicas: 3 })).toThrow(/\(got oxel on webgpu\)/);
  });
  it('lets through what some backend can do', () => {
    for (const request of [
      { replicas: 2 },
      { backend: 'wasm' as const, replicas: 8 },
      { backend: 'tensorflow' as const, replicas: 1 },
      { backend: 'tensorflow' as const, replicas: 0 },
    ])
      expect(() => ok(request)).not.toThrow();
    expect(() => ok({ replicas: 1 }, config('clove'))).not.toThrow();
  });
});

describe('decideGraph', () => {
  const addon = () => '';
  const noAddon = () => 'the graph addon is not built';
  const table: [string, boolean | undefined, 'tensorflow' | 'wasm', PlannedConfig, () => string, boolean][] =
    [
      ['tensorflow + oxel: by default', undefined, 'tensorflow', config(), addon, true],
      ['tensorflow + oxel, --graph', true, 'tensorflow', config(), addon, true],
      ['tensorflow + oxel, --no-graph', false, 'tensorflow', config(), addon, false],
      ['wasm', undefined, 'wasm', config(), addon, false],
      ['tensorflow + vader', undefined, 'tensorflow', config('vader'), addon, false],
      ['tensorflow + hard negatives', undefined, 'tensorflow', config('oxel', 8, 0.2), addon, false],
      ['tensorflow without the addon', undefined, 'tensorflow', config(), noAddon, false],
    ];
  for (const [name, wanted, backend, c, addonMissing, graph] of table) {
    it(name, () => expect(decideGraph(wanted, backend, c, addonMissing).graph).toBe(graph));
  }
  it('refuses --graph where it cannot run, saying why', () => {
    expect(() => decideGraph(true, 'wasm', config(), addon)).toThrow(
      'runTraining: the whole-step graph cannot run: it needs the tensorflow backend (this run has wasm)',
    );
    expect(() => decideGraph(true, 'tensorflow', config('clove'), addon)).toThrow(
      /it runs the oxel objective only \(this run trains clove\)/,
    );
    expect(() => decideGraph(true, 'tensorflow', config('oxel', 8, 0.5), addon)).toThrow(
      /it does not mine hard negatives/,
    );
    expect(() => decideGraph(true, 'tensorflow', config(), noAddon)).toThrow(/the graph addon is not built/);
  });
  it('never asks for the addon where the graph is off anyway', () => {
    const asked = () => {
      throw new Error('asked');
    };
    expect(decideGraph(false, 'tensorflow', config(), asked).graph).toBe(false);
    expect(decideGraph(undefined, 'wasm', config(), asked).graph).toBe(false);
  });
});

/** Whether the native backend is installed here (set-up installs it where it can). */
const tensorflow = await initBackend('tensorflow').then(
  () => true,
  () => false,
);

describe('planBackend on real backends', () => {
  it('wasm: 2 replicas of 1 thread on a 2-thread budget, the main thread on 1 wasm thread', async () => {
    const plan = await planBackend({ backend: 'wasm', threads: 2, replicas: 0 }, config(), 4);
    expect(plan.backend.backend).toBe('wasm');
    // The main thread's own wasm, initialised here first: its convolutions do not compete with the replicas.
    expect(plan.backend.device).toBe('WebAssembly SIMD (XNNPACK), 1 thread');
    expect([plan.threads, plan.replicas, plan.threadsPerReplica, plan.graph]).toEqual([2, 2, 1, false]);
    expect(plan.why).toEqual([
      'wasm (`backend`)',
      '2 threads (`threads`)',
      '2 replicas of 1 thread (one per thread)',
      'op by op (no whole-step graph: it needs the tensorflow backend (this run has wasm))',
    ]);
  });

  it.skipIf(!tensorflow)('tensorflow, and auto (which takes it here): no replicas, the graph', async () => {
    const plan = await planBackend({ backend: 'tensorflow', threads: 1, replicas: 0 }, config(), 4);
    expect(plan.backend.backend).toBe('tensorflow');
    expect([plan.replicas, plan.graph]).toEqual([1, true]);
    const auto = await planBackend({ backend: 'auto', threads: 0, replicas: 0, graph: false }, config(), 4);
    expect(auto.backend.backend).toBe('tensorflow');
    expect(auto.why).toEqual([
      "tensorflow (auto's choice)",
      '4 threads (one per core)',
      'no replicas (a wasm feature)',
      'op by op (`noGraph`)',
    ]);
  });

  it('refuses before initialising anything', async () => {
    await expect(
      planBackend({ backend: 'tensorflow', threads: 0, replicas: 2 }, config(), 4),
    ).rejects.toThrow(/`replicas` 2 needs the oxel objective on the wasm backend/);
  });
});
