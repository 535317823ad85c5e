import { basename, dirname, join } from 'node:path';
import { BufferAttribute, type BufferGeometry, Float32BufferAttribute } from 'three';
import { PLYLoader } from 'three/examples/jsm/loaders/PLYLoader.js';
import { AssetLoadError } from '../errors.ts';
import type { Asset, AssetMaterial, RoomLabel } from './Asset.ts';
import {
  computeBounds,
  decodeText,
  firstNonFiniteVertex,
  readAssetFile,
  type WarningHandler,
  withColorManagementDisabled,
} from './assetUtils.ts';
import { parseSceneNNLabels } from './parseSceneNNLabels.ts';
import { countAsciiValues, minimumBodySize, readPlyHeader } from './plyHeader.ts';
import { detectUpAxis, rotateBoxToYUp, rotatePositionsToYUp, type SignedAxis } from './upAxis.ts';

/** Options of loadRoomPly and parseRoomPly. */
export interface RoomLoadOptions {
  /** Asset id; default: the PLY file name without `.ply` (SceneNN: "005"). */
  id?: string;
  /** Annotation file; default: `<id>.xml` beside the PLY. A missing one gives a warning, not an error. */
  xmlPath?: string;
  /**
   * Which axis of the file points up. 'auto' (default) keeps +Y, SceneNN's convention, unless the
   * floor heuristic of detectUpAxis clearly finds another axis; the conversion is then reported
   * through onWarning.
   */
  upAxis: 'auto' | SignedAxis;
  /** Receives non-fatal problems (missing XML, dropped polygons, converted axes). */
  onWarning?: WarningHandler;
}

/** Defaults of loadRoomPly / parseRoomPly. */
export const DEFAULT_ROOM_LOAD_OPTIONS: RoomLoadOptions = { upAxis: 'auto' };

/** A parsed room mesh: one indexed geometry (position, normal, optional color and label) and the axis that was up. */
export interface ParsedRoomPly {
  geometry: BufferGeometry;
  hasColors: boolean;
  /** The file's axis that was rotated to +Y. */
  upAxis: SignedAxis;
}

/**
 * Parses a SceneNN-style PLY (binary or ASCII; vertex `x y z`, optional `red green blue` and
 * `label`; triangle or quad faces) into a +Y-up geometry with sRGB vertex colours in [0, 1]
 * (`color`, float32), `label` (uint32, when the file has it) and smooth vertex normals.
 *
 * @param bytes the whole file
 * @param path for messages
 * @throws AssetLoadError for a truncated file, a point cloud, out-of-range indices or non-finite coordinates
 */
export function parseRoomPly(
  bytes: Uint8Array,
  path: string,
  options: Partial<RoomLoadOptions> = {},
): ParsedRoomPly {
  const { upAxis, onWarning } = { ...DEFAULT_ROOM_LOAD_OPTIONS, ...options };
  const fail = (what: string, cause?: unknown): never => {
    throw new AssetLoadError(`parseRoomPly: ${what} in ${path}`, path, cause);
  };
  const header = readPlyHeader(bytes, path);
  const vertex = header.elements.find((e) => e.name === 'vertex');
  const face = header.elements.find((e) => e.name === 'face');
  if (!vertex || vertex.count === 0) fail('no vertices');
  const needed = minimumBodySize(header);
  if (header.format === 'ascii') {
    const got = countAsciiValues(bytes, header.headerLength);
    if (got < needed)
      fail(`truncated ASCII PLY (got ${got} values after the header, expected at least ${needed})`);
  } else {
    const got = bytes.length - header.headerLength;
    if (got < needed)
      fail(`truncated binary PLY (got ${got} bytes after the header, expected at least ${needed})`);
  }
  if (!face || face.count === 0) fail(`no faces (got a point cloud of ${vertex!.count} vertices)`);
  const hasLabel = vertex!.properties.some((p) => p.name === 'label');
  const loader = new PLYLoader();
  // Without the property three would still create the attribute, filled with NaN.
  if (hasLabel) loader.setCustomPropertyNameMapping({ label: ['label'] });
  let geometry: BufferGeometry;
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    geometry = withColorManagementDisabled(() => loader.parse(buffer));
  } catch (error) {
    return fail(`malformed PLY body (${String(error)})`, error);
  }
  const position = geometry.getAttribute('position') as BufferAttribute;
  const index = geometry.index;
  if (position.count !== vertex!.count) {
    fail(`malformed PLY body (got ${position.count} vertices, header declares ${vertex!.count})`);
  }
  if (!index || index.count === 0) fail('no triangle or quad faces');
  for (let i = 0; i < index!.count; i++) {
    const v = index!.getX(i);
    if (!(v >= 0 && v < position.count))
      fail(`face index out of range (got ${v}, expected < ${position.count})`);
  }
  if (index!.count / 3 < face!.count) {
    onWarning?.(
      `parseRoomPly: faces with more than 4 vertices are skipped (${face!.count} faces, ${index!.count / 3} triangles kept) in ${path}`,
    );
  }
  const bad = firstNonFiniteVertex(position);
  if (bad >= 0) fail(`non-finite coordinate at vertex ${bad}`);

  const positions = Float32Array.from(position.array);
  const up = upAxis === 'auto' ? detectUpAxis(positions, index!.array) : upAxis;
  if (up !== '+y') {
    rotatePositionsToYUp(positions, up);
    if (upAxis === 'auto') onWarning?.(`parseRoomPly: floor found along ${up}, rotated to +Y up in ${path}`);
  }
  geometry.setAttribute('position', new Float32BufferAttribute(positions, 3));
  // File normals would need the same rotation; smooth normals of the scan serve as well.
  geometry.deleteAttribute('normal');
  geometry.deleteAttribute('uv');
  const color = geometry.getAttribute('color') as BufferAttribute | undefined;
  if (color) {
    const rgb = new Float32Array(color.count * 3);
    for (let i = 0; i < color.count; i++) {
      rgb[3 * i] = color.getX(i);
      rgb[3 * i + 1] = color.getY(i);
      rgb[3 * i + 2] = color.getZ(i);
    }
    geometry.setAttribute('color', new Float32BufferAttribute(rgb, 3));
  }
  const label = geometry.getAttribute('label') as BufferAttribute | undefined;
  if (label) geometry.setAttribute('label', new BufferAttribute(Uint32Array.from(label.array), 1));
  geometry.computeVertexNormals();
  geometry.computeBoundingBox();
  return { geometry, hasColors: color !== undefined, upAxis: up };
}

/**
 * Loads a SceneNN room: `<id>.ply` plus its `<id>.xml` annotations, converted to metres, +Y up.
 * The asset has one part whose material uses the vertex colours.
 *
 * @param plyPath the room's PLY file
 * @throws AssetLoadError when the PLY cannot be read or parsed (a bad XML only warns)
 */
export async function loadRoomPly(plyPath: string, options: Partial<RoomLoadOptions> = {}): Promise<Asset> {
  const id = options.id ?? basename(plyPath).replace(/\.ply$/i, '');
  const xmlPath = options.xmlPath ?? join(dirname(plyPath), `${id}.xml`);
  const bytes = await readAssetFile(plyPath, 'room mesh');
  const { geometry, hasColors, upAxis } = parseRoomPly(bytes, plyPath, options);
  let labels: RoomLabel[] = [];
  try {
    const xml = decodeText(await readAssetFile(xmlPath, 'room annotations'));
    labels = parseSceneNNLabels(xml, xmlPath, options.onWarning).map((l) =>
      l.aabb ? { ...l, aabb: rotateBoxToYUp(l.aabb, upAxis) } : l,
    );
  } catch (error) {
    if (!(error instanceof AssetLoadError)) throw error;
    options.onWarning?.(`loadRoomPly: room ${id} has no annotations (${error.message})`);
  }
  const material: AssetMaterial = {
    name: `${id}-vertex-colours`,
    color: hasColors ? [1, 1, 1] : [0.8, 0.8, 0.8],
    vertexColors: hasColors,
    roughness: 0.9,
  };
  const parts = [{ geometry, material }];
  return { id, kind: 'room', category: 'room', parts, bounds: computeBounds(parts), source: plyPath, labels };
}
