import type { SceneMesh } from '@oxels/raycast';
import type { Asset } from '../assets/Asset.ts';

/**
 * The triangles of an asset as ray-casting meshes: one SceneMesh per part, sharing the asset's typed
 * arrays (no copy), placed by `transform` (row-major local-to-world; identity when absent).
 */
export function assetSceneMeshes(asset: Asset, instance: number, transform?: number[]): SceneMesh[] {
  return asset.parts.map(({ geometry }) => ({
    positions: geometry.getAttribute('position').array as Float32Array,
    indices: (geometry.index?.array as Uint32Array | Uint16Array | undefined) ?? undefined,
    transform,
    instance,
  }));
}
