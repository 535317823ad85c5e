// @oxels/scene-gen: assets, scene composition, camera pairs, rendering, shards.

// assets
export type { Asset, AssetMaterial, AssetPart, Box3Data, ImageRGBA } from './assets/Asset.ts';

// scene
export type { Lighting, PlacedObject, SceneSpec } from './scene/SceneSpec.ts';

// render (headless three.js on Dawn; only this area creates GPU contexts)
export type { AdapterSummary, GpuBackend, RendererOptions, ToneMappingName } from './render/Renderer.ts';
export { createRenderer, DEFAULT_RENDERER_OPTIONS, Renderer } from './render/Renderer.ts';
export type { BuildThreeSceneOptions } from './render/buildThreeScene.ts';
export { buildThreeScene, DEFAULT_BUILD_THREE_SCENE_OPTIONS } from './render/buildThreeScene.ts';
export type { ThreeAssetPart } from './render/ThreeAssetCache.ts';
export { ThreeAssetCache } from './render/ThreeAssetCache.ts';
export type { RenderedView, RenderViewOptions } from './render/renderView.ts';
export { DEFAULT_RENDER_VIEW_OPTIONS, renderView } from './render/renderView.ts';

// shards
export type { ViewPairMeta, ViewPairSample } from './shards/ViewPairSample.ts';
export type { SampleFile } from './shards/sampleCodec.ts';
export { encodeSample, decodeSample } from './shards/sampleCodec.ts';
export type { NpyArray } from './shards/npy.ts';
export { encodeNpy, decodeNpy } from './shards/npy.ts';
export { SAMPLE_FILES, shardName, sampleKey } from './shards/schema.ts';
export type { ShardRecord } from './shards/ShardWriter.ts';
export { ShardWriter } from './shards/ShardWriter.ts';
export { listShards, readShard, readDataset } from './shards/readShards.ts';
