// @oxels/scene-gen: assets, scene composition, camera pairs, rendering, shards.

export type { Asset, AssetMaterial, AssetPart, Box3Data, ImageRGBA } from './assets/Asset.ts';
export type { Lighting, PlacedObject, SceneSpec } from './scene/SceneSpec.ts';
export type { NpyArray } from './shards/npy.ts';
export { decodeNpy, encodeNpy } from './shards/npy.ts';
export { listShards, readDataset, readShard } from './shards/readShards.ts';
export type { ShardRecord } from './shards/ShardWriter.ts';
export { ShardWriter } from './shards/ShardWriter.ts';
export type { SampleFile } from './shards/sampleCodec.ts';
export { decodeSample, encodeSample } from './shards/sampleCodec.ts';
export { SAMPLE_FILES, sampleKey, shardName } from './shards/schema.ts';
// shards
export type { ViewPairMeta, ViewPairSample } from './shards/ViewPairSample.ts';
