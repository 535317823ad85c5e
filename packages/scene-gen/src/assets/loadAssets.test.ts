import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@oxels/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetLoadError, SceneGenError } from '../errors.ts';
import { encodeRoomPly } from '../procedural/encodeRoomPly.ts';
import { buildRoomMesh } from '../procedural/roomMesh.ts';
import { drawRoomPlan } from '../procedural/roomPlan.ts';
import { listSceneNNRooms, listShapeNetObjects } from './listAssets.ts';
import { loadAssets } from './loadAssets.ts';

let root: string;
const TRIANGLE = 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'oxels-list-'));
  const ply = encodeRoomPly(buildRoomMesh(drawRoomPlan(createRng(3), 'a'), 3).mesh, 'binary', 'fixture');
  for (const [id, bytes] of [
    ['002', ply],
    ['001', ply],
    ['003', ply.subarray(0, ply.length >> 1)],
  ] as const) {
    await mkdir(join(root, 'scenenn', id), { recursive: true });
    await writeFile(join(root, 'scenenn', id, `${id}.ply`), bytes);
  }
  await mkdir(join(root, 'scenenn', 'oni'));
  const models: [string, string, string][] = [
    ['03001627', 'b', TRIANGLE],
    ['03001627', 'a', TRIANGLE],
    ['04379243', 'c', 'v 0 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 3\n'],
    ['99999999', 'd', TRIANGLE],
  ];
  for (const [synset, model, text] of models) {
    await mkdir(join(root, 'shapenet', synset, model, 'models'), { recursive: true });
    await writeFile(join(root, 'shapenet', synset, model, 'models', 'model_normalized.obj'), text);
  }
  await mkdir(join(root, 'shapenet', '03001627', 'no-obj'));
  await writeFile(
    join(root, 'shapenet', 'taxonomy.json'),
    JSON.stringify([
      { synsetId: '03001627', name: 'chair', children: [], numInstances: 2 },
      { synsetId: '04379243', name: 'table,tabletop', children: [], numInstances: 1 },
    ]),
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('listing', () => {
  it('lists SceneNN rooms sorted, ignoring folders without <id>.ply', async () => {
    const rooms = await listSceneNNRooms(join(root, 'scenenn'));
    expect(rooms.map((r) => r.id)).toEqual(['001', '002', '003']);
    expect(rooms[0].xmlPath).toBe(join(root, 'scenenn', '001', '001.xml'));
  });

  it('lists ShapeNet models with taxonomy categories (synset id when unnamed)', async () => {
    const objects = await listShapeNetObjects(join(root, 'shapenet'));
    expect(objects.map((o) => [o.id, o.category])).toEqual([
      ['03001627/a', 'chair'],
      ['03001627/b', 'chair'],
      ['04379243/c', 'table'],
      ['99999999/d', '99999999'],
    ]);
  });

  it('names a missing directory and how to do without it', async () => {
    for (const list of [listSceneNNRooms, listShapeNetObjects]) {
      const error = await list(join(root, 'nope')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SceneGenError);
      expect(error).toMatchObject({ code: 'MISSING_DIR', path: join(root, 'nope') });
      expect((error as Error).message).toMatch(/directory not found: .*nope .*embedded default/);
    }
  });

  it('warns and falls back to synset ids without taxonomy.json', async () => {
    await mkdir(join(root, 'bare', '02876657', 'x', 'models'), { recursive: true });
    await writeFile(join(root, 'bare', '02876657', 'x', 'models', 'model_normalized.obj'), TRIANGLE);
    const warnings: string[] = [];
    const objects = await listShapeNetObjects(join(root, 'bare'), { onWarning: (w) => warnings.push(w) });
    expect(objects.map((o) => o.category)).toEqual(['02876657']);
    expect(warnings[0]).toMatch(/taxonomy\.json/);
  });
});

describe('loadAssets', () => {
  it('skips bad files with a warning naming them and loads the rest', async () => {
    const refs = [
      ...(await listSceneNNRooms(join(root, 'scenenn'))),
      ...(await listShapeNetObjects(join(root, 'shapenet'))),
    ];
    const warnings: string[] = [];
    const progress: number[] = [];
    const batch = await loadAssets(refs, {
      onWarning: (w) => warnings.push(w),
      onProgress: (done) => progress.push(done),
    });
    expect(batch.assets.map((a) => a.id)).toEqual(['001', '002', '03001627/a', '03001627/b', '99999999/d']);
    expect(batch.failures.map((f) => f.ref.id)).toEqual(['003', '04379243/c']);
    expect(batch.failures.every((f) => f.error instanceof AssetLoadError)).toBe(true);
    expect(batch.failures[0].error.message).toMatch(/truncated binary PLY .*003\.ply/);
    expect(batch.failures[1].error.message).toMatch(
      /non-finite coordinate .*04379243\/c\/models\/model_normalized\.obj/,
    );
    expect(warnings.filter((w) => w.startsWith('loadAssets: skipped'))).toHaveLength(2);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batch.assets[2].category).toBe('chair');
  });
});
