import { readFile } from 'node:fs/promises';
import { type BufferAttribute, type BufferGeometry, ColorManagement } from 'three';
import { AssetLoadError, SceneGenError } from '../errors.ts';
import type { AssetPart, Box3Data } from './Asset.ts';

/** Receives the non-fatal problems a loader meets (missing texture, unknown material...). */
export type WarningHandler = (message: string) => void;

/**
 * Runs `fn` with three's colour management switched off, then restores the previous setting.
 * three's PLY and OBJ parsers convert vertex colours sRGB -> linear while it is on; the Asset
 * contract keeps them sRGB. `fn` must be synchronous, so no other code sees the switch.
 */
export function withColorManagementDisabled<T>(fn: () => T): T {
  const previous = ColorManagement.enabled;
  ColorManagement.enabled = false;
  try {
    return fn();
  } finally {
    ColorManagement.enabled = previous;
  }
}

/** Reads a whole file; a missing or unreadable file becomes an AssetLoadError naming it. */
export async function readAssetFile(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new AssetLoadError(`readAssetFile: cannot read ${what} ${path} (${reason})`, path, error);
  }
}

/**
 * Decodes a text file, honouring a UTF-8 or UTF-16 (LE/BE) byte-order mark; UTF-8 otherwise.
 * Some exporters write UTF-16 OBJ files, which three's parser would read as empty.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Index of the first non-finite value of a position attribute (vertex index), or -1 when all
 * are finite. Catches NaN coordinates and out-of-range OBJ face indices (which three turns into NaN).
 */
export function firstNonFiniteVertex(position: BufferAttribute): number {
  const a = position.array;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) return Math.floor(i / position.itemSize);
  }
  return -1;
}

/** Number of triangles of a triangle geometry, indexed or not. */
export function triangleCount(geometry: BufferGeometry): number {
  const n = geometry.index ? geometry.index.count : geometry.getAttribute('position').count;
  return Math.floor(n / 3);
}

/**
 * Axis-aligned bounds of all parts' positions (metres, asset frame). Only vertices referenced by
 * the index count when a geometry is indexed. Throws on an asset with no vertex at all, which the
 * loaders rule out before they call this.
 */
export function computeBounds(parts: AssetPart[]): Box3Data {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (const { geometry } of parts) {
    const p = geometry.getAttribute('position').array;
    const index = geometry.index?.array;
    const n = index ? index.length : p.length / 3;
    for (let k = 0; k < n; k++) {
      const i = (index ? index[k] : k) * 3;
      for (let c = 0; c < 3; c++) {
        const v = p[i + c];
        if (v < min[c]) min[c] = v;
        if (v > max[c]) max[c] = v;
      }
    }
  }
  if (!(min[0] <= max[0])) {
    throw new SceneGenError('BAD_ARGUMENT', 'computeBounds: no vertices (got 0, expected at least 1)');
  }
  return { min, max };
}
