import type { RoomLabel } from './Asset.ts';
import type { WarningHandler } from './assetUtils.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]);
}

/**
 * Reads the `<label>` elements of a SceneNN annotation file (`<id>.xml`): attributes `id`,
 * `text`, `nyu_class` and `aabbox` ("xmin ymin zmin xmax ymax zmax", metres, the PLY's frame);
 * `obbox` and others are ignored. Tolerant by design: a label without a numeric id is skipped
 * with a warning, a missing or malformed box leaves `aabb` undefined.
 *
 * @param xml the file's text
 * @param path for warnings
 */
export function parseSceneNNLabels(xml: string, path: string, onWarning?: WarningHandler): RoomLabel[] {
  const labels: RoomLabel[] = [];
  for (const match of xml.matchAll(/<label\b([^>]*)>/g)) {
    const attrs = new Map<string, string>();
    for (const a of match[1].matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attrs.set(a[1], unescapeXml(a[2] ?? a[3]));
    }
    const id = Number(attrs.get('id'));
    if (!Number.isInteger(id)) {
      onWarning?.(
        `parseSceneNNLabels: label without an integer id skipped in ${path} (got "${attrs.get('id')}")`,
      );
      continue;
    }
    const label: RoomLabel = { id, text: attrs.get('text') ?? '', nyuClass: attrs.get('nyu_class') ?? '' };
    const box = (attrs.get('aabbox') ?? '')
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (box.length === 6 && box.every(Number.isFinite)) {
      label.aabb = { min: [box[0], box[1], box[2]], max: [box[3], box[4], box[5]] };
    }
    labels.push(label);
  }
  return labels;
}
