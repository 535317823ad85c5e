/**
 * The files of one view-pair sample in a shard (docs/architecture.md#sample-files): each sample's files
 * share a key `rRRR-pPPPPPP` and differ by these suffixes. The one place the trainer and inspect learn
 * the names.
 */
export const SAMPLE_FILES = {
  /** width, height, fx, fy, cx, cy, poseA, poseB, room id, objects, seeds, statistics. */
  meta: 'json',
  /** View A, RGB 8-bit sRGB PNG. */
  rgbA: 'a.png',
  rgbB: 'b.png',
  /** int32 [K]: sampled pixel indices of A. */
  aIndex: 'a_index.npy',
  /** float32 [K, 2]: subpixel (u, v) in B, NaN unless MATCH. */
  bXY: 'b_xy.npy',
  /** uint8 [K]: CorrespondenceStatus. */
  status: 'status.npy',
  /** float32 [H, W]: z-depth, 0 = miss (--depth). */
  depthA: 'a.depth.npy',
  depthB: 'b.depth.npy',
  /** uint16 PNG [H, W]: 0 = room, i = i-th placed object (--instances). */
  instA: 'a.inst.png',
  instB: 'b.inst.png',
} as const;

/** Most shards a dataset can have: shard names have six digits (shard-000000.tar to shard-999999.tar). */
export const MAX_SHARDS = 1_000_000;

/** Shard file name of shard `index`: shard-000000.tar. */
export function shardName(index: number): string {
  return `shard-${String(index).padStart(6, '0')}.tar`;
}

/** Sample key of pair `pair` in room `room`: r003-p000012. */
export function sampleKey(room: number, pair: number): string {
  return `r${String(room).padStart(3, '0')}-p${String(pair).padStart(6, '0')}`;
}

/**
 * dtype and shape of each .npy file of a sample, as numpy writes them: K = sampled pixels of A (from
 * a_index), H x W = the views' size (from the sample's .json). Readers check every file against this.
 */
export const SAMPLE_ARRAYS = {
  aIndex: { dtype: '<i4', shape: ['K'] },
  bXY: { dtype: '<f4', shape: ['K', 2] },
  status: { dtype: '|u1', shape: ['K'] },
  depthA: { dtype: '<f4', shape: ['H', 'W'] },
  depthB: { dtype: '<f4', shape: ['H', 'W'] },
} as const;

/** The layout of one .npy file: dtype string and shape, symbolic sizes by letter. */
export type NpyLayout = (typeof SAMPLE_ARRAYS)[keyof typeof SAMPLE_ARRAYS];

/**
 * The optional layers of a dataset (GenerateConfig.depth, GenerateConfig.instances; recorded in the
 * manifest's config) and the files each adds to every sample.
 */
export const OPTIONAL_LAYERS = {
  depth: [SAMPLE_FILES.depthA, SAMPLE_FILES.depthB],
  instances: [SAMPLE_FILES.instA, SAMPLE_FILES.instB],
} as const;
