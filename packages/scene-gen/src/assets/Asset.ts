import type { BufferGeometry } from 'three';

/**
 * An RGBA8 image in memory (rows top-down), e.g. a decoded texture. Plain data, transferable to workers.
 */
export interface ImageRGBA {
  width: number;
  height: number;
  /** width * height * 4 bytes, sRGB-encoded colour, straight alpha. */
  data: Uint8Array;
}

/** A surface material as the loaders read it from MTL files or PLY vertex colours. */
export interface AssetMaterial {
  name: string;
  /** Diffuse colour, sRGB components in [0, 1] (MTL Kd). Multiplies the texture and vertex colours. */
  color: [number, number, number];
  /** Diffuse texture (MTL map_Kd), if one was found and decoded. Sampled with the geometry's `uv`. */
  map?: ImageRGBA;
  /** True when the geometry's `color` attribute (sRGB, [0, 1]) should tint the surface. */
  vertexColors: boolean;
  /** three.js convention: 1 = matte, 0 = mirror-like; from MTL Ns/Ks where present. */
  roughness: number;
}

/**
 * One drawable part of an asset: a triangle geometry (attributes `position`, optional `normal`,
 * `uv`, `color`; indexed or not) in the asset's local frame, metres, +Y up, with one material.
 * Rooms also carry a per-vertex `label` attribute (SceneNN instance label, 0 = unlabelled).
 * Render double-sided: dataset meshes have flipped and duplicated faces.
 */
export interface AssetPart {
  geometry: BufferGeometry;
  material: AssetMaterial;
}

/** Axis-aligned box in metres. */
export interface Box3Data {
  min: [number, number, number];
  max: [number, number, number];
}

/** One annotated instance of a SceneNN room (`<label>` of `<id>.xml`). */
export interface RoomLabel {
  /** Matches the PLY vertex `label` values. */
  id: number;
  /** Free-text name, e.g. "chair". */
  text: string;
  /** NYU-40 class name, e.g. "otherfurniture"; "" when absent. */
  nyuClass: string;
  /** Axis-aligned box of the instance, metres, in the asset's (converted, +Y up) frame; absent if the XML has none. */
  aabb?: Box3Data;
}

/**
 * A loaded room or object, converted on load to metres and +Y up.
 * Objects (ShapeNet) are not centred: `bounds` tells where they sit in their local frame.
 */
export interface Asset {
  /** Dataset id: SceneNN room id ("005"), or "<synset>/<model>" for ShapeNet. */
  id: string;
  kind: 'room' | 'object';
  /** ShapeNet taxonomy name (e.g. "chair") for objects; "room" for rooms. */
  category: string;
  parts: AssetPart[];
  bounds: Box3Data;
  /** Where the file(s) came from, for error messages and the manifest. */
  source: string;
  /** Rooms only: the instance annotations of the room's XML (empty when it has none). */
  labels?: RoomLabel[];
}
