// The asset loaders on real third-party files: Debian's assimp-testmodels (BSD-3), installed by
// scripts/setup.sh under /usr/share/assimp/models.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AssetLoadError } from '../src/errors.ts';
import { loadObjAsset } from '../src/assets/loadObjAsset.ts';
import { loadRoomPly } from '../src/assets/loadRoomPly.ts';

const MODELS = '/usr/share/assimp/models';

async function loadError(load: Promise<unknown>): Promise<AssetLoadError> {
  const error = await load.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AssetLoadError);
  return error as AssetLoadError;
}

beforeAll(() => {
  if (!existsSync(MODELS)) {
    throw new Error(
      `assimp test models not found at ${MODELS}: apt-get install assimp-testmodels (scripts/setup.sh does)`,
    );
  }
});

describe('PLY files of assimp-testmodels', () => {
  it('reports the truncated pond.0.ply cleanly, naming the file', async () => {
    const path = join(MODELS, 'PLY', 'pond.0.ply');
    const error = await loadError(loadRoomPly(path));
    expect(error.message).toMatch(
      /truncated binary PLY \(got \d+ bytes after the header, expected at least \d+\)/,
    );
    expect(error.message).toContain(path);
    expect(error.path).toBe(path);
  });

  it('loads ASCII and binary cubes (quads split into triangles, no colours)', async () => {
    for (const name of ['cube.ply', 'cube_binary.ply']) {
      const warnings: string[] = [];
      const a = await loadRoomPly(join(MODELS, 'PLY', name), {
        onWarning: (w) => warnings.push(w),
        upAxis: '+y',
      });
      expect(a.parts[0].geometry.index!.count).toBe(36);
      expect(a.parts[0].material.vertexColors).toBe(false);
      expect(a.bounds).toEqual({ min: [0, 0, 0], max: [1, 1, 1] });
      // No <name>.xml beside it: a warning, not an error.
      expect(warnings.some((w) => w.includes('no annotations'))).toBe(true);
    }
  });

  it('loads float vertex colours and refuses a point cloud', async () => {
    const colours = await loadRoomPly(join(MODELS, 'PLY', 'float-color.ply'), {
      upAxis: '+y',
      onWarning: () => {},
    });
    expect(colours.parts[0].material.vertexColors).toBe(true);
    const c = colours.parts[0].geometry.getAttribute('color');
    expect(Math.max(c.getX(0), c.getY(0), c.getZ(0))).toBeLessThanOrEqual(1);
    const error = await loadError(loadRoomPly(join(MODELS, 'PLY', 'points.ply')));
    expect(error.message).toMatch(/no faces/);
  });
});

describe('OBJ files of assimp-testmodels', () => {
  it('loads spider.obj with its Windows-style texture paths (.\\\\name.jpg) as decoded JPEG maps', async () => {
    const warnings: string[] = [];
    const a = await loadObjAsset(join(MODELS, 'OBJ', 'spider.obj'), { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    // The four materials the faces use (the MTL also defines an unused "Brusttex").
    const names = a.parts.map((p) => p.material.name).sort();
    expect(names).toEqual(['Augentex', 'BeinTex', 'HLeibTex', 'Skin']);
    for (const p of a.parts) {
      expect(p.material.map, p.material.name).toBeDefined();
      expect(p.material.map!.data.length).toBe(p.material.map!.width * p.material.map!.height * 4);
    }
    const triangles = a.parts.reduce((n, p) => n + p.geometry.getAttribute('position').count / 3, 0);
    expect(triangles).toBeGreaterThan(1000);
  });

  it('gives one part per usemtl material (cube_usemtl: 3 materials over 12 triangles)', async () => {
    const a = await loadObjAsset(join(MODELS, 'OBJ', 'cube_usemtl.obj'));
    expect(a.parts.map((p) => p.material.name).sort()).toEqual(['mtl', 'mtl2', 'mtl3']);
    expect(a.parts.reduce((n, p) => n + p.geometry.getAttribute('position').count, 0)).toBe(36);
  });

  it('reads a UTF-16 OBJ and a missing MTL library with a warning', async () => {
    const utf16 = await loadObjAsset(join(MODELS, 'OBJ', 'box_UTF16BE.obj'));
    expect(utf16.parts[0].geometry.getAttribute('position').count).toBe(36);
    const warnings: string[] = [];
    await loadObjAsset(join(MODELS, 'OBJ', 'cube_mtllib_after_g.obj'), {
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings.join()).toMatch(/cube_mtllib_after_g\.mat \(file not found\)/);
  });

  it('rejects malformed.obj (NaN coordinates) and empty.obj, naming them', async () => {
    const malformed = join(MODELS, 'invalid', 'malformed.obj');
    expect((await loadError(loadObjAsset(malformed))).message).toMatch(
      new RegExp(`non-finite coordinate .*${malformed}`),
    );
    const empty = join(MODELS, 'invalid', 'empty.obj');
    expect((await loadError(loadObjAsset(empty))).message).toMatch(new RegExp(`no triangles in ${empty}`));
  });
});
