/**
 * The files of one view-pair sample in a shard (DESIGN.md, "Shards"): each sample's files share a key
 * `rRRR-pPPPPPP` and differ by these suffixes. The one place the trainer and inspect learn the names.
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

/** Shard file name of shard `index`: shard-000000.tar. */
export function shardName(index: number): string {
  return `shard-${String(index).padStart(6, '0')}.tar`;
}

/** Sample key of pair `pair` in room `room`: r003-p000012. */
export function sampleKey(room: number, pair: number): string {
  return `r${String(room).padStart(3, '0')}-p${String(pair).padStart(6, '0')}`;
}
