// @oxels/scene-gen: assets, scene composition, camera pairs, rendering, and the gen-scenes pipeline
// that writes them into dataset shards (@oxels/dataset).

// assets
export type { Asset, AssetMaterial, AssetPart, Box3Data, ImageRGBA, RoomLabel } from './assets/Asset.ts';
export type { WarningHandler } from './assets/assetUtils.ts';
export type { AssetRef, ObjectRef, RoomRef } from './assets/listAssets.ts';
export { listSceneNNRooms, listShapeNetObjects, readShapeNetTaxonomy } from './assets/listAssets.ts';
export type { AssetBatch, AssetLoadOptions } from './assets/loadAssets.ts';
export { loadAsset, loadAssets } from './assets/loadAssets.ts';
export type { ObjLoadOptions } from './assets/loadObjAsset.ts';
export { loadObjAsset } from './assets/loadObjAsset.ts';
export type { ParsedRoomPly, RoomLoadOptions } from './assets/loadRoomPly.ts';
export { DEFAULT_ROOM_LOAD_OPTIONS, loadRoomPly, parseRoomPly } from './assets/loadRoomPly.ts';
export type { SignedAxis } from './assets/upAxis.ts';
export { detectUpAxis } from './assets/upAxis.ts';
export { decodeImage } from './assets/decodeImage.ts';

// procedural: the embedded default rooms and objects, generated once into the asset cache
export type { DefaultAssetDirs } from './procedural/ensureDefaultAssets.ts';
export { ensureDefaultAssets } from './procedural/ensureDefaultAssets.ts';
export type {
  EmbeddedAssetsOptions,
  EmbeddedAssetsSummary,
} from './procedural/generateEmbeddedAssets.ts';
export {
  DEFAULT_EMBEDDED_ASSETS_OPTIONS,
  EMBEDDED_ASSETS_VERSION,
  EMBEDDED_CATEGORIES,
  generateEmbeddedAssets,
} from './procedural/generateEmbeddedAssets.ts';

// scene (plain data: floor, placement, camera pairs, lighting)
export type { Lighting, PlacedObject, SceneSpec } from './scene/SceneSpec.ts';
export type { ComposedRoom } from './scene/composeScene.ts';
export { composeRoom } from './scene/composeScene.ts';
export { detectFloor } from './scene/detectFloor.ts';
export type { Placement, PlacementOptions } from './scene/placeObjects.ts';
export { placeObjects, DEFAULT_PLACEMENT_OPTIONS } from './scene/placeObjects.ts';
export type {
  CameraPair,
  CameraPairConstraints,
  CameraPairOptions,
  CameraPairScene,
} from './scene/sampleCameraPair.ts';
export {
  sampleCameraPair,
  CAMERA_PAIR_RELAXATION,
  DEFAULT_CAMERA_PAIR_OPTIONS,
} from './scene/sampleCameraPair.ts';
export { randomLighting } from './scene/randomLighting.ts';
export { assetSceneMeshes } from './scene/sceneMeshes.ts';

// generation (the gen-scenes pipeline; pairs while training: @oxels/scene-gen/live)
export type { GenerateConfig, RunOptions } from './generate/GenerateConfig.ts';
export { DEFAULT_GENERATE_CONFIG, validateGenerateConfig } from './generate/GenerateConfig.ts';
export type { GenerateHooks, GenerateProgress, GenerateSummary } from './generate/generateDataset.ts';
export { generateDataset } from './generate/generateDataset.ts';
export type { PairTimings } from './generate/generatePair.ts';

// render (headless three.js on Dawn; only this area creates GPU contexts)
export type { AdapterSummary, GpuBackend, RendererOptions, ToneMappingName } from './render/Renderer.ts';
export { createRenderer, DEFAULT_RENDERER_OPTIONS, Renderer } from './render/Renderer.ts';
export type { BuildThreeSceneOptions } from './render/buildThreeScene.ts';
export { buildThreeScene, DEFAULT_BUILD_THREE_SCENE_OPTIONS } from './render/buildThreeScene.ts';
export type { ThreeAssetPart } from './render/ThreeAssetCache.ts';
export { ThreeAssetCache } from './render/ThreeAssetCache.ts';
export type { RenderedView, RenderViewOptions } from './render/renderView.ts';
export { DEFAULT_RENDER_VIEW_OPTIONS, renderView } from './render/renderView.ts';

// errors and constants
export { SceneGenError, AssetLoadError } from './errors.ts';
export type { SceneGenErrorCode } from './errors.ts';
export { DEFAULT_ASSET_CACHE_DIR } from './constants.ts';
