import type { CameraIntrinsics, CorrespondenceStats } from '@oxels/raycast';

/** Metadata of one view pair (the sample's `.json` file): shared intrinsics, poses row-major camera-to-world. */
export interface ViewPairMeta extends CameraIntrinsics {
  key: string;
  poseA: number[];
  poseB: number[];
  /** Index of the room in this dataset and its dataset id. */
  room: { index: number; id: string };
  /** Placed objects; instance id i (in .inst.png) is objects[i - 1]. */
  objects: { instance: number; assetId: string; category: string; transform: number[] }[];
  /** Seeds of this pair: everything random about it follows from them. */
  seeds: { scene: number; pair: number; attempt: number };
  /** Status counts of the correspondence map. */
  stats: CorrespondenceStats;
}

/**
 * One generated view pair in memory, as written to and read from shards (see schema.ts for files).
 * Images are row-major, rows top-down.
 */
export interface ViewPairSample {
  meta: ViewPairMeta;
  /** uint8 [H, W, 3], sRGB. */
  rgbA: Uint8Array;
  rgbB: Uint8Array;
  /** int32 [K]: sampled pixel indices of A. */
  aIndex: Int32Array;
  /** float32 [K, 2]: (u, v) in B; NaN unless MATCH. */
  bXY: Float32Array;
  /** uint8 [K]: CorrespondenceStatus. */
  status: Uint8Array;
  /** float32 [H, W]: z-depth in metres, 0 = miss. Optional (--depth). */
  depthA?: Float32Array;
  depthB?: Float32Array;
  /** uint16 [H, W]: instance ids. Optional (--instances). */
  instA?: Uint16Array;
  instB?: Uint16Array;
}
