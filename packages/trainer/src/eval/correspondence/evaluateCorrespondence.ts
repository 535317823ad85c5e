import { createRng } from '@oxels/core';
import type { ViewPairSample } from '@oxels/dataset';
import type { LossNorm } from '../../constants.ts';
import { assert } from '../../errors.ts';
import {
  type CorrespondenceMetrics,
  DEFAULT_PCK_THRESHOLDS,
  type GroundTruthMatches,
  matchErrors,
  summarizeErrors,
} from './correspondenceBenchmark.ts';
import type { DescriptorMap, DescriptorMethod } from './descriptorMaps.ts';
import { selectMatches } from './selectMatches.ts';

/** Options of `evaluateCorrespondence`. */
export interface CorrespondenceEvalOptions {
  /** Distance of the nearest-neighbour search (use the run's training norm). */
  norm: LossNorm;
  /** At most this many MATCH samples per pair are queried (seeded subsample); Infinity = all. */
  maxQueries: number;
  /** Seed of the query subsample; the same queries are used for every method. */
  seed: number;
  /** Evaluate at most this many pairs (the first ones in shard order); Infinity = all. */
  maxPairs: number;
  /** PCK thresholds in pixels. */
  thresholds: readonly number[];
  /** Called after each pair (progress). */
  onPair: (info: { index: number; key: string; queries: number }) => void;
  /** Called with each method's descriptor maps of a pair and the pair's queries (e.g. to save them). */
  onDescribed: (info: {
    key: string;
    method: string;
    a: DescriptorMap;
    b: DescriptorMap;
    matches: GroundTruthMatches;
  }) => void;
}

/** Defaults: inf norm, up to 500 queries per pair, seed 0, all pairs, PCK at 1, 2, 4, 8, 16 px. */
export const DEFAULT_CORRESPONDENCE_EVAL_OPTIONS: CorrespondenceEvalOptions = {
  norm: 'inf',
  maxQueries: 500,
  seed: 0,
  maxPairs: Number.POSITIVE_INFINITY,
  thresholds: DEFAULT_PCK_THRESHOLDS,
  onPair: () => {},
  onDescribed: () => {},
};

/** Surfaces the queries are split by when the pairs carry instance maps (gen-scenes --instances). */
export const QUERY_SURFACES = ['room', 'objects'] as const;
export type QuerySurface = (typeof QUERY_SURFACES)[number];

/** One row of the benchmark: a method's metrics pooled over all pairs, and where its time went. */
export interface CorrespondenceRow extends CorrespondenceMetrics {
  name: string;
  description: string;
  /**
   * The same metrics over the queries whose A pixel shows the room (instance 0) and those on placed
   * objects; null unless every pair has instance maps.
   */
  bySurface: Record<QuerySurface, CorrespondenceMetrics> | null;
  /** Seconds spent computing descriptors (network forward passes) and searching, over all pairs. */
  describeSeconds: number;
  searchSeconds: number;
}

/** What `evaluateCorrespondence` measured. */
export interface CorrespondenceEvaluation {
  /** Pairs evaluated. */
  pairs: number;
  /** View size of the pairs (the first pair's; all must agree). */
  width: number;
  height: number;
  /** One row per method, in the order given. */
  rows: CorrespondenceRow[];
}

/**
 * The correspondence benchmark over held-out view pairs (docs/architecture.md#evaluation): for each pair,
 * up to `maxQueries` ground-truth MATCH samples (one seeded subsample shared by all methods), and for each
 * method, nearest-neighbour search of A's descriptor over all pixels of B; errors are pooled over all
 * pairs into median error and PCK. No I/O: the pairs come from the caller's iterable.
 */
export async function evaluateCorrespondence(
  pairs: AsyncIterable<ViewPairSample> | Iterable<ViewPairSample>,
  methods: DescriptorMethod[],
  options: Partial<CorrespondenceEvalOptions> = {},
): Promise<CorrespondenceEvaluation> {
  const o = { ...DEFAULT_CORRESPONDENCE_EVAL_OPTIONS, ...options };
  assert(methods.length > 0, 'BAD_ARGUMENT', () => 'evaluateCorrespondence: no methods to evaluate');
  const rng = createRng(o.seed);
  const errors: Float32Array[][] = methods.map(() => []);
  // Per pair, 1 where the query's A pixel is on a placed object; null once a pair lacks instance maps.
  let onObject: Uint8Array[] | null = [];
  const seconds = methods.map(() => ({ describe: 0, search: 0 }));
  let count = 0;
  let size: [number, number] | null = null;
  for await (const sample of pairs) {
    if (count >= o.maxPairs) break;
    const { width, height, key } = sample.meta;
    size ??= [width, height];
    assert(
      size[0] === width && size[1] === height,
      'BAD_DATA',
      () =>
        `evaluateCorrespondence: pair ${key} is ${width}x${height} (expected ${size?.[0]}x${size?.[1]} as the first pair)`,
    );
    const matches = selectMatches(sample, o.maxQueries, rng);
    const inst = sample.instA;
    if (!inst) onObject = null;
    else onObject?.push(Uint8Array.from(matches.aIndex, (k) => +(inst[k] > 0)));
    for (const [i, method] of methods.entries()) {
      let t = performance.now();
      const { a, b } = await method.describe(sample);
      seconds[i].describe += (performance.now() - t) / 1000;
      o.onDescribed({ key, method: method.name, a, b, matches });
      t = performance.now();
      errors[i].push(matchErrors(a, b, matches, o.norm));
      seconds[i].search += (performance.now() - t) / 1000;
    }
    o.onPair({ index: count, key, queries: matches.aIndex.length });
    count++;
  }
  assert(count > 0, 'BAD_DATA', () => 'evaluateCorrespondence: the dataset holds no pairs');
  const surface = onObject && concat(onObject, Uint8Array);
  const rows = methods.map((method, i) => {
    const pooled = concat(errors[i], Float32Array);
    const bySurface = surface && {
      room: summarizeErrors(
        pooled.filter((_, k) => !surface[k]),
        o.thresholds,
      ),
      objects: summarizeErrors(
        pooled.filter((_, k) => surface[k]),
        o.thresholds,
      ),
    };
    return {
      name: method.name,
      description: method.description,
      ...summarizeErrors(pooled, o.thresholds),
      bySurface,
      describeSeconds: seconds[i].describe,
      searchSeconds: seconds[i].search,
    };
  });
  const [width, height] = size ?? [0, 0];
  return { pairs: count, width, height, rows };
}

function concat<T extends Float32Array | Uint8Array>(parts: T[], Type: { new (n: number): T }): T {
  const out = new Type(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
