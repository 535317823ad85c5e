import type { RoomLabel } from '../assets/Asset.ts';

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Encodes room annotations in SceneNN's `<id>.xml` layout: one `<label>` per instance with `id`,
 * `text`, `nyu_class`, `aabbox` ("xmin ymin zmin xmax ymax zmax", metres) and `obbox` (centre,
 * half extents, quaternion w x y z: axis-aligned here, as our boxes are).
 */
export function encodeSceneNNXml(labels: RoomLabel[]): string {
  const f = (x: number): string => x.toFixed(4);
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<annotation>'];
  for (const l of labels) {
    const box = l.aabb ?? { min: [0, 0, 0], max: [0, 0, 0] };
    const centre = [0, 1, 2].map((c) => (box.min[c] + box.max[c]) / 2);
    const half = [0, 1, 2].map((c) => (box.max[c] - box.min[c]) / 2);
    lines.push(
      `  <label id="${l.id}" text="${escapeXml(l.text)}" nyu_class="${escapeXml(l.nyuClass)}"` +
        ` aabbox="${[...box.min, ...box.max].map(f).join(' ')}"` +
        ` obbox="${[...centre, ...half].map(f).join(' ')} 1 0 0 0" />`,
    );
  }
  lines.push('</annotation>', '');
  return lines.join('\n');
}
