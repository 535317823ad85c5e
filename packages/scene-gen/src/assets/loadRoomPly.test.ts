import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@oxels/core';
import { ColorManagement } from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetLoadError } from '../errors.ts';
import { encodeRoomPly } from '../procedural/encodeRoomPly.ts';
import { encodeSceneNNXml } from '../procedural/encodeSceneNNXml.ts';
import { MeshBuilder } from '../procedural/MeshBuilder.ts';
import { buildRoomMesh, type RoomMesh } from '../procedural/roomMesh.ts';
import { drawRoomPlan } from '../procedural/roomPlan.ts';
import { loadRoomPly, parseRoomPly } from './loadRoomPly.ts';

let dir: string;
let room: RoomMesh;

/** Writes `<dir>/<id>/<id>.ply` (+ xml unless told not to) and returns the PLY path. */
async function writeRoom(id: string, ply: Uint8Array, xml?: string): Promise<string> {
  await mkdir(join(dir, id), { recursive: true });
  const path = join(dir, id, `${id}.ply`);
  await writeFile(path, ply);
  if (xml !== undefined) await writeFile(join(dir, id, `${id}.xml`), xml);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oxels-roomply-'));
  room = buildRoomMesh(drawRoomPlan(createRng(7), 'r7'), 7);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadRoomPly', () => {
  it('reads binary and ASCII PLY to the same geometry, colours kept sRGB, labels and XML annotations', async () => {
    const xml = encodeSceneNNXml(room.labels);
    const bin = await loadRoomPly(await writeRoom('bin', encodeRoomPly(room.mesh, 'binary', 't'), xml));
    const asc = await loadRoomPly(await writeRoom('asc', encodeRoomPly(room.mesh, 'ascii', 't'), xml));
    for (const a of [bin, asc]) {
      expect(a.kind).toBe('room');
      expect(a.parts).toHaveLength(1);
      const g = a.parts[0].geometry;
      expect(g.getAttribute('position').count).toBe(room.mesh.vertexCount);
      expect(g.index!.count).toBe(room.mesh.triangleCount * 3);
      expect(a.parts[0].material.vertexColors).toBe(true);
      // sRGB bytes come back as byte/255 exactly: no sRGB -> linear conversion happened.
      const c = g.getAttribute('color');
      for (const v of [0, 100, room.mesh.vertexCount - 1]) {
        expect(c.getX(v)).toBeCloseTo(Math.round(room.mesh.colors[3 * v] * 255) / 255, 6);
      }
      expect(g.getAttribute('label').getX(0)).toBe(room.mesh.labels[0]);
      expect(a.labels!.map((l) => l.text)).toEqual(room.labels.map((l) => l.text));
      expect(a.labels![0].aabb!.min[1]).toBeCloseTo(0, 3);
    }
    expect(bin.id).toBe('bin');
    expect(ColorManagement.enabled).toBe(true);
    const pb = bin.parts[0].geometry.getAttribute('position').array;
    const pa = asc.parts[0].geometry.getAttribute('position').array;
    for (let i = 0; i < pb.length; i += 997) expect(pa[i]).toBeCloseTo(pb[i], 3);
    expect(bin.bounds.min[1]).toBeCloseTo(0, 5);
    expect(bin.bounds.max[1]).toBeGreaterThan(2.3);
  });

  it('turns floor faces towards +Y (the generator winds them so, normals follow the winding)', async () => {
    const a = await loadRoomPly(await writeRoom('normals', encodeRoomPly(room.mesh, 'binary', 't'), ''));
    const g = a.parts[0].geometry;
    const n = g.getAttribute('normal');
    const label = g.getAttribute('label');
    let floor = 0;
    for (let v = 0; v < n.count; v++) {
      if (label.getX(v) !== 1) continue;
      floor++;
      expect(n.getY(v)).toBeGreaterThan(0.99);
    }
    expect(floor).toBeGreaterThan(100);
  });

  it('finds a Z-up file by its floor, rotates it to +Y and says so', async () => {
    const zUp = new MeshBuilder();
    for (const x of room.mesh.positions) zUp.positions.push(x);
    // (x, y, z) -> (x, -z, y): the room's +Y becomes the file's +Z.
    for (let i = 0; i < zUp.positions.length; i += 3) {
      const [y, z] = [zUp.positions[i + 1], zUp.positions[i + 2]];
      zUp.positions[i + 1] = -z;
      zUp.positions[i + 2] = y;
    }
    for (const c of room.mesh.colors) zUp.colors.push(c);
    for (const l of room.mesh.labels) zUp.labels.push(l);
    for (const [g, t] of room.mesh.groups) zUp.groups.set(g, t);
    // The XML is in the file's frame too.
    const zUpLabels = room.labels.map((l) => {
      const { min, max } = l.aabb!;
      return {
        ...l,
        aabb: { min: [min[0], -max[2], min[1]], max: [max[0], -min[2], max[1]] } as typeof l.aabb,
      };
    });
    const path = await writeRoom('zup', encodeRoomPly(zUp, 'binary', 'z up'), encodeSceneNNXml(zUpLabels));
    const warnings: string[] = [];
    const a = await loadRoomPly(path, { onWarning: (w) => warnings.push(w) });
    expect(warnings.some((w) => w.includes('+z'))).toBe(true);
    const original = room.mesh.bounds();
    for (let c = 0; c < 3; c++) {
      expect(a.bounds.min[c]).toBeCloseTo(original.min[c], 4);
      expect(a.bounds.max[c]).toBeCloseTo(original.max[c], 4);
    }
    // Annotation boxes are rotated with the mesh.
    expect(a.labels![0].aabb!.max[1] - a.labels![0].aabb!.min[1]).toBeLessThan(0.01);
    const forced = await loadRoomPly(path, { upAxis: '+y' });
    expect(forced.bounds.max[2] - forced.bounds.min[2]).toBeCloseTo(original.max[1] - original.min[1], 4);
  });

  it('warns about a missing XML and still loads the mesh', async () => {
    const warnings: string[] = [];
    const a = await loadRoomPly(await writeRoom('noxml', encodeRoomPly(room.mesh, 'binary', 't')), {
      onWarning: (w) => warnings.push(w),
    });
    expect(a.labels).toEqual([]);
    expect(warnings.join()).toMatch(/noxml\.xml/);
  });

  it('rejects truncated binary and ASCII files, point clouds and missing files with the path and the reason', async () => {
    const bin = encodeRoomPly(room.mesh, 'binary', 't');
    const asc = encodeRoomPly(room.mesh, 'ascii', 't');
    const cloud = new TextEncoder().encode(
      'ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n1 1 1\n',
    );
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'cut.ply',
        bin.subarray(0, bin.length - 100),
        /truncated binary PLY \(got \d+ bytes after the header, expected at least \d+\)/,
      ],
      ['cut-ascii.ply', asc.subarray(0, Math.floor(asc.length * 0.6)), /truncated ASCII PLY/],
      ['header.ply', bin.subarray(0, 40), /no end_header/],
      ['cloud.ply', cloud, /no faces \(got a point cloud of 2 vertices\)/],
    ];
    for (const [name, bytes, reason] of cases) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      const error = await loadRoomPly(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AssetLoadError);
      expect((error as AssetLoadError).message).toMatch(reason);
      expect((error as AssetLoadError).message).toContain(path);
      expect((error as AssetLoadError).path).toBe(path);
    }
    await expect(loadRoomPly(join(dir, 'absent.ply'))).rejects.toThrow(/absent\.ply \(file not found\)/);
  });

  it('rejects face indices beyond the vertex count', () => {
    const text =
      'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n';
    expect(() => parseRoomPly(new TextEncoder().encode(text), 'bad.ply')).toThrow(
      /face index out of range \(got 7, expected < 3\) in bad\.ply/,
    );
  });
});
