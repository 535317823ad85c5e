import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetLoadError } from '../errors.ts';
import { loadObjAsset } from './loadObjAsset.ts';

let dir: string;

/** A quad (two triangles) in the y = 0 plane per material, with uv. */
const TWO_MATERIAL_OBJ = `# fixture
mtllib fixture.mtl
v 0 0 0
v 1 0 0
v 1 0 1
v 0 0 1
v 0 1 0
v 1 1 0
vt 0 0
vt 1 0
vt 1 1
vt 0 1
vn 0 1 0
g floor
usemtl wood
f 1/1/1 4/4/1 3/3/1
f 1/1/1 3/3/1 2/2/1
g wall
usemtl cloth
f 1/1 2/2 6/3
f 1/1 6/3 5/4
`;

function writeFixture(name: string, text: string): Promise<void> {
  return writeFile(join(dir, name), text);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oxels-obj-'));
  await mkdir(join(dir, 'images'));
  // 2x1 PNG: red, green. 2x2 JPEG of flat blue (JPEG is lossy: compared with a tolerance).
  await writeFile(
    join(dir, 'images', 'Wood.PNG'),
    encodePng({ width: 2, height: 1, data: new Uint8Array([255, 0, 0, 0, 255, 0]), channels: 3, depth: 8 }),
  );
  const blue = new Uint8Array(16).fill(0);
  for (let i = 0; i < 4; i++) blue.set([20, 40, 200, 255], 4 * i);
  await writeFile(join(dir, 'cloth.jpg'), jpeg.encode({ data: blue, width: 2, height: 2 }, 95).data);
  await writeFixture('fixture.obj', TWO_MATERIAL_OBJ);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadObjAsset', () => {
  it('gives one part per material with its Kd, roughness, PNG and JPEG textures (odd map_Kd paths included)', async () => {
    // Windows path, options before the name, wrong case, file in ../images: all normal in ShapeNet.
    await writeFixture(
      'fixture.mtl',
      'newmtl wood\nKd 0.5 0.25 0.125\nKs 0 0 0\nmap_Kd -s 1 1 1 C:\\textures\\wood.png\n\nnewmtl cloth\nKd 1 1 1\nKs 0.5 0.5 0.5\nNs 100\nmap_Kd cloth.jpg\n',
    );
    const warnings: string[] = [];
    const a = await loadObjAsset(join(dir, 'fixture.obj'), {
      category: 'thing',
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings).toEqual([]);
    expect(a).toMatchObject({ id: 'fixture', kind: 'object', category: 'thing' });
    expect(a.parts.map((p) => p.material.name)).toEqual(['wood', 'cloth']);
    const [wood, cloth] = a.parts;
    expect(wood.material.color).toEqual([0.5, 0.25, 0.125]);
    expect(wood.material.roughness).toBe(1);
    expect(cloth.material.roughness).toBeCloseTo(Math.sqrt(Math.sqrt(2 / 102)), 6);
    expect(wood.material.map).toEqual({
      width: 2,
      height: 1,
      data: new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255]),
    });
    const c = cloth.material.map!;
    expect([c.width, c.height]).toEqual([2, 2]);
    expect(Math.abs(c.data[0] - 20)).toBeLessThan(8);
    expect(Math.abs(c.data[2] - 200)).toBeLessThan(8);
    for (const p of a.parts) {
      expect(p.geometry.getAttribute('position').count).toBe(6);
      expect(p.geometry.getAttribute('uv').count).toBe(6);
    }
    // The wall group has no normals in the file: flat ones are computed, facing +Z or -Z.
    expect(Math.abs(cloth.geometry.getAttribute('normal').getZ(0))).toBeCloseTo(1, 6);
    expect(wood.geometry.getAttribute('normal').getY(0)).toBeCloseTo(1, 6);
    expect(a.bounds).toEqual({ min: [0, 0, 0], max: [1, 1, 1] });
  });

  it('falls back to Kd with a warning when a texture is missing or corrupt, and to grey without an MTL', async () => {
    await writeFixture(
      'fixture.mtl',
      'newmtl wood\nKd 0.5 0.5 0.5\nmap_Kd nowhere.png\n\nnewmtl cloth\nKd 0.1 0.2 0.3\nmap_Kd junk.png\n',
    );
    await writeFile(join(dir, 'junk.png'), 'not an image');
    const warnings: string[] = [];
    const a = await loadObjAsset(join(dir, 'fixture.obj'), { onWarning: (w) => warnings.push(w) });
    expect(a.parts.map((p) => p.material.map)).toEqual([undefined, undefined]);
    expect(a.parts[1].material.color).toEqual([0.1, 0.2, 0.3]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/texture "nowhere\.png" of material "wood" not found/);
    expect(warnings[1]).toMatch(/junk\.png is neither PNG nor JPEG/);

    await writeFixture('nomtl.obj', TWO_MATERIAL_OBJ.replace('fixture.mtl', 'missing.mtl'));
    const w2: string[] = [];
    const b = await loadObjAsset(join(dir, 'nomtl.obj'), { onWarning: (w) => w2.push(w) });
    expect(b.parts.map((p) => p.material.color)).toEqual([
      [0.8, 0.8, 0.8],
      [0.8, 0.8, 0.8],
    ]);
    expect(w2[0]).toMatch(/missing\.mtl \(file not found\)/);
  });

  it('keeps OBJ vertex colours sRGB', async () => {
    await writeFixture(
      'colours.obj',
      'v 0 0 0 0.5 0.25 1\nv 1 0 0 0.5 0.25 1\nv 0 1 0 0.5 0.25 1\nf 1 2 3\n',
    );
    const a = await loadObjAsset(join(dir, 'colours.obj'));
    const c = a.parts[0].geometry.getAttribute('color');
    expect([c.getX(0), c.getY(0), c.getZ(0)]).toEqual([0.5, 0.25, 1]);
    expect(a.parts[0].material.vertexColors).toBe(true);
  });

  it('rejects NaN coordinates, out-of-range faces, files without triangles and missing files, naming the file', async () => {
    const cases: [string, string, RegExp][] = [
      ['nan.obj', 'v 0 0 0\nv 1 nan 0\nv 0 1 0\nf 1 2 3\n', /non-finite coordinate/],
      ['range.obj', 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 9\n', /face index out of range/],
      ['lines.obj', 'v 0 0 0\nv 1 0 0\nl 1 2\n', /no triangles/],
      ['empty.obj', '', /no triangles/],
    ];
    for (const [name, text, reason] of cases) {
      await writeFixture(name, text);
      const path = join(dir, name);
      const error = await loadObjAsset(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AssetLoadError);
      expect((error as AssetLoadError).message).toMatch(reason);
      expect((error as AssetLoadError).message).toContain(path);
      expect((error as AssetLoadError).path).toBe(path);
    }
    await expect(loadObjAsset(join(dir, 'absent.obj'))).rejects.toThrow(/absent\.obj \(file not found\)/);
  });
});
