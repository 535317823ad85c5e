// Worker process of gen-scenes and of live training: owns one renderer and an asset store, turns jobs (a
// room and a range of its pairs) into samples, encoded for shards or as typed arrays for a live run.
// Messages over IPC: a WorkerSetup first, then WorkerRequest / 'stop'.
import type { CorrespondenceStats } from '@oxels/raycast';
import type { ObjectRef, RoomRef } from '../assets/listAssets.ts';
import { createRenderer, type Renderer, type RendererOptions } from '../render/Renderer.ts';
import { ThreeAssetCache } from '../render/ThreeAssetCache.ts';
import { encodeSample, type SampleFile, type ViewPairSample } from '@oxels/dataset';
import type { GenerateConfig } from './GenerateConfig.ts';
import { generatePair, type PairTimings, type RoomContext } from './generatePair.ts';
import { AssetStore, loadRoomContext } from './loadRoomContext.ts';
import { SceneGenError } from '../errors.ts';

/** What a pair worker is started with. */
export interface WorkerSetup {
  config: GenerateConfig;
  rooms: RoomRef[];
  objects: ObjectRef[];
  renderer: Partial<RendererOptions>;
  /**
   * Whether to send each pair's encoded files (gen-scenes: the shard bytes) rather than its typed arrays
   * (a live run, which would only decode them again; over IPC they are copied either way).
   */
  encode: boolean;
}

/** A job: pairs [pairs[0], pairs[1]) of room `room`; `first` is the dataset index of the first pair. */
export interface WorkerRequest {
  room: number;
  pairs: [number, number];
  first: number;
}

/** What a worker reports with each pair; `index` is its dataset index. */
interface PairReport {
  index: number;
  stats: CorrespondenceStats;
  timings: PairTimings;
  roomId: string;
}

export type WorkerReply =
  | ({ kind: 'encoded'; files: SampleFile[] } & PairReport)
  | ({ kind: 'sample'; sample: ViewPairSample } & PairReport)
  | { kind: 'done' }
  | { kind: 'warning'; message: string }
  | { kind: 'error'; message: string };

let setup: WorkerSetup;
const post = (reply: WorkerReply) => process.send!(reply);
const store = new AssetStore((message) => post({ kind: 'warning', message }));
let renderer: Promise<Renderer> | null = null;
let cache: ThreeAssetCache | null = null;
let current: { room: RoomContext; composeMs: number } | null = null;

async function run(job: WorkerRequest): Promise<void> {
  renderer ??= createRenderer(setup.renderer);
  const r = await renderer;
  cache ??= new ThreeAssetCache();
  if (current?.room.index !== job.room) {
    if (current) {
      // Rooms are large: free the previous one's GPU buffers and parsed mesh (objects stay cached).
      const { roomId } = current.room.composed;
      cache.evict(current.room.assets.get(roomId)!);
      store.drop(roomId);
    }
    const t = performance.now();
    const room = await loadRoomContext(job.room, setup.rooms, setup.objects, setup.config, store);
    if (!room) throw new Error(`no room of the dataset could be loaded (tried all ${setup.rooms.length})`);
    current = { room, composeMs: performance.now() - t };
  }
  for (let p = job.pairs[0]; p < job.pairs[1]; p++) {
    // The room's load and composition time is charged to the first pair generated in it.
    const composeMs = p === job.pairs[0] ? current.composeMs : 0;
    const pair = await generateWithFallback(job.room, p, current.room, r, cache, composeMs);
    current.composeMs = 0;
    if (pair.warning) post({ kind: 'warning', message: pair.warning });
    const report = {
      index: job.first + (p - job.pairs[0]),
      stats: pair.stats,
      roomId: current.room.composed.roomId,
    };
    if (setup.encode) {
      const t = performance.now();
      const files = encodeSample(pair.sample);
      const timings = { ...pair.timings, encode: performance.now() - t };
      post({ kind: 'encoded', files, timings, ...report });
    } else {
      post({ kind: 'sample', sample: pair.sample, timings: { ...pair.timings, encode: 0 }, ...report });
    }
  }
}

/** Rooms tried after the pair's own when it offers no camera pose, before the run gives up. */
const MAX_ROOM_FALLBACKS = 5;

/**
 * Pair `pair` of room `index`; when the room offers no camera pose for it (NO_POSE: a cramped room, or
 * objects crowding it), the same pair in the next loadable rooms, in a fixed order: one odd room
 * never ends a run, and the result does not depend on how jobs were split.
 */
async function generateWithFallback(
  index: number,
  pair: number,
  room: RoomContext,
  r: Renderer,
  cache: ThreeAssetCache,
  composeMs: number,
) {
  for (let fallback = 0; ; fallback++) {
    const context =
      fallback === 0
        ? room
        : await loadRoomContext(index, setup.rooms, setup.objects, setup.config, store, fallback);
    if (!context) throw new Error(`room ${index}: no other room of the dataset could be loaded`);
    try {
      return await generatePair(context, pair, setup.config, r, cache, composeMs);
    } catch (err) {
      const noPose = err instanceof SceneGenError && err.code === 'NO_POSE';
      if (!noPose || fallback >= MAX_ROOM_FALLBACKS) throw err;
      post({
        kind: 'warning',
        message: `${(err as Error).message}; pair ${pair} of room ${index} uses the next room instead`,
      });
    } finally {
      if (fallback > 0) {
        const { roomId } = context.composed;
        cache.evict(context.assets.get(roomId)!);
        if (roomId !== room.composed.roomId) store.drop(roomId);
      }
    }
  }
}

process.on('message', (message: WorkerSetup | WorkerRequest | 'stop') => {
  if (message === 'stop') {
    Promise.resolve(renderer)
      .then((r) => r?.dispose())
      .finally(() => process.exit(0));
    return;
  }
  if ('config' in message) {
    setup = message;
    return;
  }
  run(message).then(
    () => post({ kind: 'done' }),
    (err: Error) => post({ kind: 'error', message: `room ${message.room}: ${err.stack ?? err.message}` }),
  );
});
