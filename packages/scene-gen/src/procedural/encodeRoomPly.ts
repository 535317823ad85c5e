import type { MeshBuilder } from './MeshBuilder.ts';

/**
 * Encodes a room mesh as SceneNN does: vertex `x y z` (float, metres), `red green blue` (uchar,
 * sRGB) and `label` (ushort), triangle faces `vertex_indices` (uchar count, int indices).
 * Binary little-endian or ASCII (4 decimals, i.e. 0.1 mm); both are byte-for-byte deterministic.
 *
 * @param comment one header comment line (no newlines)
 */
export function encodeRoomPly(mesh: MeshBuilder, format: 'binary' | 'ascii', comment: string): Uint8Array {
  const nv = mesh.vertexCount;
  const faces = [...mesh.groups.values()].flat();
  const nf = faces.length / 3;
  const header = [
    'ply',
    `format ${format === 'binary' ? 'binary_little_endian' : 'ascii'} 1.0`,
    `comment ${comment}`,
    `element vertex ${nv}`,
    'property float x',
    'property float y',
    'property float z',
    'property uchar red',
    'property uchar green',
    'property uchar blue',
    'property ushort label',
    `element face ${nf}`,
    'property list uchar int vertex_indices',
    'end_header',
    '',
  ].join('\n');
  const byte = (c: number): number => Math.max(0, Math.min(255, Math.round(c * 255)));
  const { positions: p, colors: c, labels } = mesh;
  if (format === 'ascii') {
    const lines: string[] = [header];
    for (let i = 0; i < nv; i++) {
      lines.push(
        `${p[3 * i].toFixed(4)} ${p[3 * i + 1].toFixed(4)} ${p[3 * i + 2].toFixed(4)} ${byte(c[3 * i])} ${byte(c[3 * i + 1])} ${byte(c[3 * i + 2])} ${labels[i]}\n`,
      );
    }
    for (let f = 0; f < nf; f++) lines.push(`3 ${faces[3 * f]} ${faces[3 * f + 1]} ${faces[3 * f + 2]}\n`);
    return new TextEncoder().encode(lines.join(''));
  }
  const head = new TextEncoder().encode(header);
  const vertexSize = 12 + 3 + 2;
  const out = new Uint8Array(head.length + nv * vertexSize + nf * 13);
  out.set(head);
  const view = new DataView(out.buffer);
  let at = head.length;
  for (let i = 0; i < nv; i++) {
    view.setFloat32(at, p[3 * i], true);
    view.setFloat32(at + 4, p[3 * i + 1], true);
    view.setFloat32(at + 8, p[3 * i + 2], true);
    view.setUint8(at + 12, byte(c[3 * i]));
    view.setUint8(at + 13, byte(c[3 * i + 1]));
    view.setUint8(at + 14, byte(c[3 * i + 2]));
    view.setUint16(at + 15, labels[i], true);
    at += vertexSize;
  }
  for (let f = 0; f < nf; f++) {
    view.setUint8(at, 3);
    view.setInt32(at + 1, faces[3 * f], true);
    view.setInt32(at + 5, faces[3 * f + 1], true);
    view.setInt32(at + 9, faces[3 * f + 2], true);
    at += 13;
  }
  return out;
}
