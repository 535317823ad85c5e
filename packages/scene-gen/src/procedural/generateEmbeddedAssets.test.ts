import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_ASSETS_VERSION } from './generateEmbeddedAssets.ts';
import type { Asset } from '../assets/Asset.ts';
import { listSceneNNRooms, listShapeNetObjects } from '../assets/listAssets.ts';
import { loadAssets } from '../assets/loadAssets.ts';
import { ensureDefaultAssets } from './ensureDefaultAssets.ts';
import { type EmbeddedAssetsSummary, generateEmbeddedAssets } from './generateEmbeddedAssets.ts';

let root: string;
let first: EmbeddedAssetsSummary;

/** sha256 of every file under `dir`, by relative path. */
async function digestTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(
      relative(dir, path),
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex'),
    );
  }
  return out;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'oxels-embedded-'));
  first = await generateEmbeddedAssets(join(root, 'a'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('generateEmbeddedAssets', () => {
  it('writes 76 rooms and 40+ objects in 8+ categories', async () => {
    expect(first.roomIds).toHaveLength(76);
    expect(new Set(first.roomIds).size).toBe(76);
    expect(first.objectIds.length).toBeGreaterThanOrEqual(40);
    const taxonomy = JSON.parse(await readFile(join(first.shapenetDir, 'taxonomy.json'), 'utf8')) as {
      synsetId: string;
    }[];
    expect(taxonomy.length).toBeGreaterThanOrEqual(8);
    expect(new Set(first.objectIds.map((id) => id.split('/')[0]))).toEqual(
      new Set(taxonomy.map((t) => t.synsetId)),
    );
    expect(first.objectIds.every((id) => /^\d{8}\/[0-9a-f]{32}$/.test(id))).toBe(true);
  });

  it('is deterministic: a second run writes the same bytes; rooms and objects are all distinct', async () => {
    await generateEmbeddedAssets(join(root, 'b'));
    const [a, b] = await Promise.all([digestTree(join(root, 'a')), digestTree(join(root, 'b'))]);
    expect(a.size).toBeGreaterThan(76 * 2 + 40 * 2);
    expect(b).toEqual(a);
    const plys = [...a].filter(([p]) => p.endsWith('.ply')).map(([, h]) => h);
    const objs = [...a].filter(([p]) => p.endsWith('.obj')).map(([, h]) => h);
    expect(new Set(plys).size).toBe(76);
    expect(new Set(objs).size).toBe(first.objectIds.length);
  });

  it('writes mostly binary PLY, some ASCII, and PNG and JPEG textures', async () => {
    const formats = await Promise.all(
      first.roomIds.map(async (id) => {
        const head = (await readFile(join(first.scenennDir, id, `${id}.ply`)))
          .subarray(0, 40)
          .toString('latin1');
        return head.split('\n')[1];
      }),
    );
    const ascii = formats.filter((f) => f === 'format ascii 1.0').length;
    expect(ascii).toBeGreaterThanOrEqual(3);
    expect(formats.filter((f) => f === 'format binary_little_endian 1.0').length).toBe(76 - ascii);
    const files = [...(await digestTree(first.shapenetDir)).keys()];
    expect(files.some((f) => /images\/texture\d+\.png$/.test(f))).toBe(true);
    expect(files.some((f) => /images\/texture\d+\.jpg$/.test(f))).toBe(true);
  });

  it('loads back through the real loaders without a warning, at sane sizes', async () => {
    const warnings: string[] = [];
    const refs = [
      ...(await listSceneNNRooms(first.scenennDir)),
      ...(await listShapeNetObjects(first.shapenetDir)),
    ];
    const { assets, failures } = await loadAssets(refs, { onWarning: (w) => warnings.push(w) });
    expect(failures).toEqual([]);
    expect(warnings).toEqual([]);
    const rooms = assets.filter((a) => a.kind === 'room');
    const objects = assets.filter((a) => a.kind === 'object');
    expect(rooms).toHaveLength(76);
    const triangles = (a: Asset): number =>
      a.parts.reduce(
        (n, p) => n + (p.geometry.index?.count ?? p.geometry.getAttribute('position').count) / 3,
        0,
      );
    const labelTexts = new Set<string>();
    let lShaped = 0;
    for (const r of rooms) {
      const size = r.bounds.max.map((m, c) => m - r.bounds.min[c]);
      expect(r.bounds.min[1], r.id).toBeCloseTo(0, 4);
      expect(size[1], r.id).toBeGreaterThanOrEqual(2.39);
      expect(size[1], r.id).toBeLessThanOrEqual(2.91);
      for (const c of [0, 2]) {
        expect(size[c], r.id).toBeGreaterThanOrEqual(3);
        expect(size[c], r.id).toBeLessThanOrEqual(10);
      }
      expect(triangles(r), r.id).toBeGreaterThan(5_000);
      expect(triangles(r), r.id).toBeLessThanOrEqual(100_000);
      for (const l of r.labels!) labelTexts.add(l.text);
      if (r.labels!.filter((l) => l.text === 'wall').length >= 6) lShaped++;
    }
    for (const text of [
      'floor',
      'wall',
      'ceiling',
      'door',
      'window',
      'shelf',
      'books',
      'radiator',
      'column',
      'light',
      'baseboard',
    ]) {
      expect(labelTexts.has(text), text).toBe(true);
    }
    expect(lShaped).toBeGreaterThanOrEqual(15);
    expect(new Set(objects.map((o) => o.category)).size).toBeGreaterThanOrEqual(8);
    let offCentre = 0;
    for (const o of objects) {
      const diagonal = Math.hypot(...o.bounds.max.map((m, c) => m - o.bounds.min[c]));
      expect(diagonal, o.id).toBeGreaterThan(0.999);
      expect(diagonal, o.id).toBeLessThan(1.001);
      const centre = o.bounds.max.map((m, c) => (m + o.bounds.min[c]) / 2);
      if (Math.hypot(...centre) > 0.01) offCentre++;
    }
    expect(offCentre).toBeGreaterThan(objects.length / 2);
    const textured = objects.flatMap((o) => o.parts).filter((p) => p.material.map);
    expect(textured.length).toBeGreaterThanOrEqual(20);
    expect(objects.map((o) => o.category)).toEqual(expect.arrayContaining(['rabbit', 'teapot']));
  });
});

describe('ensureDefaultAssets', () => {
  it('generates once into place, reuses the cache, and regenerates when the generator version changes', async () => {
    const cache = join(root, 'cache');
    const made = await ensureDefaultAssets(cache, { roomCount: 2 });
    expect(made.generated).toBe(true);
    expect((await listSceneNNRooms(made.scenennDir)).map((r) => r.id)).toEqual(['p001', 'p002']);
    const again = await ensureDefaultAssets(cache, { roomCount: 2 });
    expect(again).toEqual({ ...made, generated: false });
    const stampPath = join(cache, 'embedded', 'stamp.json');
    const stamp = JSON.parse(await readFile(stampPath, 'utf8'));
    expect(stamp.version).toBe(EMBEDDED_ASSETS_VERSION);
    await writeFile(stampPath, JSON.stringify({ ...stamp, version: EMBEDDED_ASSETS_VERSION - 1 }));
    expect((await ensureDefaultAssets(cache, { roomCount: 2 })).generated).toBe(true);
    // Only the finished cache is left: no temporary or stale folders.
    expect(await readdir(cache)).toEqual(['embedded']);
  });
});
