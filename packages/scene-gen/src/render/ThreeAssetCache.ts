import type { BufferGeometry, DataTexture, MeshStandardMaterial } from 'three/webgpu';
import type { Asset, AssetMaterial, ImageRGBA } from '../assets/Asset.ts';
import { toRenderGeometry } from './renderGeometry.ts';
import { toThreeMaterial, toThreeTexture } from './threeMaterial.ts';

/** One drawable part of a cached asset: what a three.js Mesh needs. */
export interface ThreeAssetPart {
  geometry: BufferGeometry;
  material: MeshStandardMaterial;
}

interface Entry {
  parts: ThreeAssetPart[];
  /** What to free on eviction; may include the asset's own geometry (dispose() frees only GPU buffers). */
  geometries: BufferGeometry[];
  materials: MeshStandardMaterial[];
  textures: DataTexture[];
}

/**
 * three.js geometries, materials and textures per asset, built once and reused by every scene built from
 * the same Asset objects, so the many view pairs of one room upload their meshes to the GPU once.
 * Keyed by Asset object identity (reloading an asset gives a new entry). Not thread-safe, not async.
 * GPU memory is held until `evict`/`clear`: evict a room's assets when moving on to the next room.
 */
export class ThreeAssetCache {
  private readonly entries = new Map<Asset, Entry>();

  /** Number of assets cached. */
  get size(): number {
    return this.entries.size;
  }

  /** The three parts of `asset`, built on first request (textures flipped, colours linearised). */
  parts(asset: Asset): readonly ThreeAssetPart[] {
    let entry = this.entries.get(asset);
    if (entry === undefined) {
      entry = buildEntry(asset);
      this.entries.set(asset, entry);
    }
    return entry.parts;
  }

  /** Drops one asset and frees the GPU resources built for it. No-op when it is not cached. */
  evict(asset: Asset): void {
    const entry = this.entries.get(asset);
    if (entry === undefined) return;
    this.entries.delete(asset);
    disposeEntry(entry);
  }

  /** Drops every asset, freeing their GPU resources. */
  clear(): void {
    for (const entry of this.entries.values()) disposeEntry(entry);
    this.entries.clear();
  }
}

function buildEntry(asset: Asset): Entry {
  const entry: Entry = { parts: [], geometries: [], materials: [], textures: [] };
  // Parts often share one AssetMaterial (and one texture image): share the three objects too.
  const textures = new Map<ImageRGBA, DataTexture>();
  const materials = new Map<AssetMaterial, Map<boolean, MeshStandardMaterial>>();
  for (const part of asset.parts) {
    const useColors = part.material.vertexColors && part.geometry.getAttribute('color') !== undefined;
    const geometry = toRenderGeometry(part.geometry, useColors);
    entry.geometries.push(geometry);

    let map: DataTexture | null = null;
    if (part.material.map !== undefined) {
      map = textures.get(part.material.map) ?? null;
      if (map === null) {
        map = toThreeTexture(part.material.map);
        textures.set(part.material.map, map);
        entry.textures.push(map);
      }
    }
    let byColors = materials.get(part.material);
    if (byColors === undefined) {
      byColors = new Map();
      materials.set(part.material, byColors);
    }
    let material = byColors.get(useColors);
    if (material === undefined) {
      material = toThreeMaterial(part.material, useColors, map);
      byColors.set(useColors, material);
      entry.materials.push(material);
    }
    entry.parts.push({ geometry, material });
  }
  return entry;
}

function disposeEntry(entry: Entry): void {
  for (const geometry of entry.geometries) geometry.dispose();
  for (const material of entry.materials) material.dispose();
  for (const texture of entry.textures) texture.dispose();
}
