// @oxels/scene-gen: assets, scene composition, camera pairs, rendering, shards.

// assets
export type { Asset, AssetMaterial, AssetPart, Box3Data, ImageRGBA } from './assets/Asset.ts';

// scene
export type { Lighting, PlacedObject, SceneSpec } from './scene/SceneSpec.ts';

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
