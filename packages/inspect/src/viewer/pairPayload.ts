import type { DatasetManifest, ViewPairMeta, ViewPairSample } from '@oxels/dataset';
import { STATUS_NAMES } from '../constants.ts';

/** The JSON of `/api/pair/KEY`: a pair's metadata and all of its K correspondences. */
export interface PairPayload {
  key: string;
  meta: ViewPairMeta;
  /** Status code -> name (0 match, 1 occluded, 2 out-of-view, 3 miss). */
  statusNames: Record<number, string>;
  correspondences: {
    count: number;
    /** [K] sampled pixel indices of A (y * W + x). */
    aIndex: number[];
    /** [K * 2] (u, v) in B, pixel coordinates; null unless MATCH (JSON has no NaN). */
    bXY: (number | null)[];
    /** [K] status codes. */
    status: number[];
  };
  /** Which optional layers the pair has. */
  layers: { depth: boolean; instances: boolean };
}

/** Builds `/api/pair/KEY`'s JSON from a decoded sample. Pure. */
export function pairPayload(sample: ViewPairSample): PairPayload {
  return {
    key: sample.meta.key,
    meta: sample.meta,
    statusNames: STATUS_NAMES,
    correspondences: {
      count: sample.aIndex.length,
      aIndex: Array.from(sample.aIndex),
      bXY: Array.from(sample.bXY, (x) => (Number.isNaN(x) ? null : x)),
      status: Array.from(sample.status),
    },
    layers: { depth: sample.depthA !== undefined, instances: sample.instA !== undefined },
  };
}

/** The JSON of `/api/pairs`: what the dataset holds and the pairs in shard order. */
export interface PairListPayload {
  /** The dataset directory's name, and its absolute path. */
  dataset: string;
  dir: string;
  /** The manifest's totals, or null without a manifest. */
  totals: DatasetManifest['totals'] | null;
  pairs: { key: string; shard: string }[];
  /** Name of the viewer's descriptor source, or null when it has none (no heatmap). */
  descriptors: string | null;
}

/** An error answer of the API (any status >= 400). */
export interface ErrorPayload {
  error: string;
}
