// @oxels/scene-gen: assets, scene composition, camera pairs, rendering, shards.

export type { Asset, AssetMaterial, AssetPart, Box3Data, ImageRGBA } from './assets/Asset.ts';
export type { Lighting, PlacedObject, SceneSpec } from './scene/SceneSpec.ts';
