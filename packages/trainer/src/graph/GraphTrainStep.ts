import type { LossNorm, UNetConfig } from '../constants.ts';
import { assert } from '../errors.ts';
import type { LossBatch } from '../data/viewPairs/LossBatch.ts';
import type { WeightArray } from '../model/UNet.ts';
import { DT, GraphBuilder, type GraphTensor, type Output } from './GraphBuilder.ts';

/** What the step graph is built for: the network, its batch shape, the loss and the optimiser. */
export interface GraphStepSpec {
  unet: UNetConfig;
  /** Pairs per step, and the size of every view. */
  batchSize: number;
  height: number;
  width: number;
  /** Sampled pixels per pair. */
  samples: number;
  norm: LossNorm;
  lambda: number;
  clipNorm: number;
  /** AdamW's; the learning rate is fed per step. */
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** Dropout on (training) or off (parity tests). */
  dropout: boolean;
  /** libtensorflow's intra- and inter-op thread pools; 0 = its choice. */
  threads: number;
}

const EPS = 1e-6;

/**
 * The whole training step (U-Net forward on both views, oxel loss, gradients, clipping at a global
 * norm, AdamW) as one TensorFlow graph, run with one session call per step. Weights and AdamW moments
 * live in the session as resource variables; `setWeights` / `readWeights` move them in and out (tfjs
 * layout, the UNet's keys). Built for one batch shape.
 */
export class GraphTrainStep {
  private readonly g = new GraphBuilder();
  private readonly session: unknown;
  private readonly names: string[];
  private readonly shapes: number[][];
  private readonly reads: Output[];
  private readonly inits: { value: Output; op: number }[] = [];
  private readonly feeds: Record<
    'view1' | 'view2' | 'idx1' | 'idx2' | 'positive' | 'mask1' | 'mask2' | 'lr' | 't' | 'seed',
    Output
  >;
  private readonly fetches: Output[];
  private readonly stateReads: Output[];
  private readonly updates: number[];

  constructor(
    readonly spec: GraphStepSpec,
    parameters: ReadonlyMap<string, number[]>,
  ) {
    const { g } = this;
    const { batchSize: b, height: h, width: w, samples: n } = spec;
    this.names = [...parameters.keys()];
    this.shapes = [...parameters.values()];
    const variable = (name: string, shape: number[]) => {
      const handle = g.variable(name, shape);
      const value = g.placeholder(`init_${name}`, DT.float32, shape);
      this.inits.push({ value, op: g.assign(handle, value) });
      return handle;
    };
    const weights = this.names.map((name, i) => variable(name, this.shapes[i]));
    const ms = this.names.map((name, i) => variable(`m/${name}`, this.shapes[i]));
    const vs = this.names.map((name, i) => variable(`v/${name}`, this.shapes[i]));
    this.reads = weights.map((v) => g.read(v));
    const param = new Map(this.names.map((name, i) => [name, this.reads[i]]));

    const images = [b, h, w, 3];
    this.feeds = {
      view1: g.placeholder('view1', DT.float32, images),
      view2: g.placeholder('view2', DT.float32, images),
      idx1: g.placeholder('idx1', DT.int32, [b, n]),
      idx2: g.placeholder('idx2', DT.int32, [b, n]),
      positive: g.placeholder('positive', DT.float32, [b, n]),
      mask1: g.placeholder('mask1', DT.float32, [b, h * w]),
      mask2: g.placeholder('mask2', DT.float32, [b, h * w]),
      lr: g.placeholder('lr', DT.float32, []),
      t: g.placeholder('t', DT.float32, []),
      seed: g.placeholder('seed', DT.int32, [2]),
    };
    const x = g.concat([this.feeds.view1, this.feeds.view2], 0);
    const out = unetForward(g, spec.unet, param, x, 2 * b, h, w, spec.dropout ? this.feeds.seed : null);
    const terms = oxelLossGraph(g, out, this.feeds, spec);

    const grads = g.gradients([terms.loss], this.reads);
    const missing = grads.indexOf(null);
    assert(
      missing < 0,
      'BAD_ARGUMENT',
      () => `GraphTrainStep: ${this.names[missing]} does not reach the loss`,
    );
    const dws = grads as Output[];
    const squares = dws.map((d, i) =>
      g.reduce(
        'Sum',
        g.unary('Square', d),
        this.shapes[i].map((_, k) => k),
      ),
    );
    const gradNorm = g.unary('Sqrt', g.addN(squares));
    // torch's clip_grad_norm_ and the eager trainer's clipByGlobalNorm: min(1, clip / (norm + 1e-6)).
    const scale = g.minimum(g.scalar(1), g.div(g.scalar(spec.clipNorm), g.add(gradNorm, g.scalar(EPS))));
    const { lr, t } = this.feeds;
    const c1 = g.sub(g.scalar(1), g.op('Pow', [g.scalar(spec.beta1), t]));
    const c2 = g.sub(g.scalar(1), g.op('Pow', [g.scalar(spec.beta2), t]));
    const decay = g.sub(g.scalar(1), g.mul(lr, g.scalar(spec.weightDecay)));
    // A step whose loss or gradient is not finite writes nothing (as the eager trainer's): each
    // variable keeps its value, and the caller decides to skip or stop.
    const finiteOf = (x: Output) => g.op('IsFinite', [x]);
    const finite = g.op('LogicalAnd', [
      g.op('LogicalAnd', [finiteOf(terms.loss), finiteOf(gradNorm)]),
      finiteOf(this.feeds.lr),
    ]);
    const keepIfNot = (next: Output, old: Output) => g.op('SelectV2', [finite, next, old]);
    this.updates = [];
    const mReads = ms.map((v) => g.read(v));
    const vReads = vs.map((v) => g.read(v));
    for (let i = 0; i < this.names.length; i++) {
      const grad = g.mul(dws[i], scale);
      const m1 = g.add(g.mul(mReads[i], g.scalar(spec.beta1)), g.mul(grad, g.scalar(1 - spec.beta1)));
      const v1 = g.add(
        g.mul(vReads[i], g.scalar(spec.beta2)),
        g.mul(g.unary('Square', grad), g.scalar(1 - spec.beta2)),
      );
      const step = g.div(
        g.mul(m1, g.div(lr, c1)),
        g.add(g.unary('Sqrt', g.div(v1, c2)), g.scalar(spec.epsilon)),
      );
      const w1 = g.sub(g.mul(this.reads[i], decay), step);
      this.updates.push(
        g.assign(ms[i], keepIfNot(m1, mReads[i])),
        g.assign(vs[i], keepIfNot(v1, vReads[i])),
        g.assign(weights[i], keepIfNot(w1, this.reads[i])),
      );
    }
    this.stateReads = [...this.reads, ...mReads, ...vReads];
    this.fetches = [
      terms.loss,
      terms.within,
      terms.between,
      gradNorm,
      g.op('Cast', [finite], [['DstT', 'type', DT.float32]]),
    ];
    this.session = g.native.newSession(g.graph, spec.threads, spec.threads);
  }

  /** Loads weights and AdamW moments (tfjs layout, by the model's keys); moments default to 0. */
  load(state: {
    weights: ReadonlyMap<string, WeightArray>;
    m?: ReadonlyMap<string, WeightArray>;
    v?: ReadonlyMap<string, WeightArray>;
  }): void {
    const n = this.names.length;
    const feeds: [Output, GraphTensor][] = this.inits.map(({ value }, k) => {
      const name = this.names[k % n];
      const source = [state.weights, state.m, state.v][Math.floor(k / n)];
      const shape = this.shapes[k % n];
      const data = source ? source.get(name)?.data : new Float32Array(size(shape));
      assert(
        data !== undefined && data.length === size(shape),
        'BAD_DATA',
        () => `GraphTrainStep.load: ${name} is missing or is not of shape [${shape}]`,
      );
      return [value, { dtype: DT.float32, shape, data }];
    });
    this.g.native.run(
      this.session,
      feeds,
      [],
      this.inits.map((i) => i.op),
    );
  }

  /** The weights and AdamW moments as they are now (tfjs layout). */
  read(): { weights: Map<string, WeightArray>; m: Map<string, WeightArray>; v: Map<string, WeightArray> } {
    const values = this.g.native.run(this.session, [], this.stateReads, []);
    const n = this.names.length;
    const group = (k: number) =>
      new Map(
        this.names.map((name, i) => [
          name,
          { shape: this.shapes[i], data: values[k * n + i].data as Float32Array },
        ]),
      );
    return { weights: group(0), m: group(1), v: group(2) };
  }

  /**
   * One step on `batch` at learning rate `lr` as AdamW's step `t` (1 for the first): forward, loss,
   * gradients, clipping and AdamW in one call. `seed` draws the dropout masks (the same seed, the same
   * masks: a resumed run repeats them).
   */
  run(
    batch: LossBatch,
    lr: number,
    t: number,
    seed: number,
  ): { loss: number; within: number; between: number; gradNorm: number; applied: boolean } {
    const { batchSize: b, height: h, width: w, samples: n } = this.spec;
    assert(
      batch.batchSize === b && batch.height === h && batch.width === w && batch.samples === n,
      'BAD_ARGUMENT',
      () =>
        `GraphTrainStep.run: the graph is built for ${b} pairs of ${w}x${h}, ${n} samples (got ${batch.batchSize} of ${batch.width}x${batch.height}, ${batch.samples})`,
    );
    const f32 = (data: Float32Array, shape: number[]): GraphTensor => ({ dtype: DT.float32, shape, data });
    const i32 = (data: Int32Array, shape: number[]): GraphTensor => ({ dtype: DT.int32, shape, data });
    const mask = (m: Uint8Array | undefined) =>
      f32(m ? Float32Array.from(m) : new Float32Array(b * h * w).fill(1), [b, h * w]);
    const { feeds } = this;
    const [loss, within, between, gradNorm, applied] = this.g.native.run(
      this.session,
      [
        [feeds.view1, f32(batch.view1, [b, h, w, 3])],
        [feeds.view2, f32(batch.view2, [b, h, w, 3])],
        [feeds.idx1, i32(batch.idx1, [b, n])],
        [feeds.idx2, i32(batch.idx2, [b, n])],
        [feeds.positive, f32(Float32Array.from(batch.isPositive), [b, n])],
        [feeds.mask1, mask(batch.mask1)],
        [feeds.mask2, mask(batch.mask2)],
        [feeds.lr, f32(new Float32Array([lr]), [])],
        [feeds.t, f32(new Float32Array([t]), [])],
        [feeds.seed, i32(Int32Array.from([seed | 0, 0x5eed]), [2])],
      ],
      this.fetches,
      this.updates,
    );
    return {
      loss: loss.data[0],
      within: within.data[0],
      between: between.data[0],
      gradNorm: gradNorm.data[0],
      applied: applied.data[0] === 1,
    };
  }
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The U-Net of `unetParameters` (the same blocks, skips, pooling and upsampling as UNet.forward). */
function unetForward(
  g: GraphBuilder,
  config: UNetConfig,
  param: ReadonlyMap<string, Output>,
  x: Output,
  images: number,
  height: number,
  width: number,
  dropoutSeed: Output | null,
): Output {
  assert(
    !config.attention,
    'BAD_ARGUMENT',
    () => 'GraphTrainStep: the bottleneck attention has no graph form yet',
  );
  const { widths, blocks, dropout, normalization, normEpsilon } = config;
  const p = (name: string) => param.get(name) ?? fail(name);
  const conv = (name: string, h: Output) => g.biasAdd(g.conv2d(h, p(`${name}.weight`)), p(`${name}.bias`));
  const normSilu = (name: string, h: Output) => {
    const axes = normalization === 'image' ? [1, 2, 3] : [3];
    const mean = g.reduce('Mean', h, axes, true);
    const centred = g.sub(h, mean);
    const variance = g.reduce('Mean', g.unary('Square', centred), axes, true);
    const y = g.add(
      g.mul(g.mul(centred, g.unary('Rsqrt', g.add(variance, g.scalar(normEpsilon)))), p(`${name}.weight`)),
      p(`${name}.bias`),
    );
    return g.mul(y, g.unary('Sigmoid', y));
  };
  let layer = 0;
  const drop = (h: Output, rate: number, shape: number[]) => {
    if (!dropoutSeed || rate <= 0) return h;
    // Keep with probability 1 - rate, scaled by 1 / (1 - rate), as tf.dropout; each layer its own stream.
    const seed = g.add(dropoutSeed, g.ints([0, ++layer]));
    const keep = g.unary('Floor', g.add(g.statelessUniform(shape, seed), g.scalar(1 - rate)));
    return g.mul(h, g.mul(keep, g.scalar(1 / (1 - rate))));
  };
  let size = [height, width];
  const block = (name: string, h: Output, rate: number, cout: number) => {
    let y = conv(`${name}.conv1`, normSilu(`${name}.norm1`, h));
    y = drop(normSilu(`${name}.norm2`, y), rate, [images, size[0], size[1], cout]);
    y = conv(`${name}.conv2`, y);
    const skip = param.has(`${name}.skip.weight`) ? conv(`${name}.skip`, h) : h;
    return g.add(skip, y);
  };
  const last = widths.length - 1;
  let h = conv('stem', x);
  const skips: Output[] = [];
  for (let s = 0; s <= last; s++) {
    for (let i = 0; i < blocks[s]; i++) h = block(`encoder.${s}.blocks.${i}`, h, dropout[s], widths[s]);
    skips.push(h);
    if (s < last) {
      h = conv(`encoder.${s}.down`, g.avgPool2x(h));
      size = [size[0] / 2, size[1] / 2];
    }
  }
  h = block('mid.block', h, dropout[last], widths[last]);
  for (let s = last; s >= 0; s--) {
    for (let i = 0; i <= blocks[s]; i++)
      h = block(`decoder.${s}.blocks.${i}`, i === 0 ? g.concat([h, skips[s]], 3) : h, dropout[s], widths[s]);
    if (s > 0) {
      h = g.upsample2x(conv(`decoder.${s}.up`, h), size[0], size[1]);
      size = [size[0] * 2, size[1] * 2];
    }
  }
  return conv('head.conv', normSilu('head.norm', h));
}

function fail(name: string): never {
  throw new Error(`GraphTrainStep: no parameter ${name}`);
}

/**
 * The oxel loss (docs/architecture.md#oxel-loss) on the stacked descriptors [2B, H, W, C] (view 1's
 * first), from its formula: d = dist / 2 of each sampled pair; within-image term per sample
 * 1/4 (1 - pbar) + d (2 f - 1) + d^2 over valid samples; between-image term (e - 1/2)^2 for each
 * pixel of pair b1 against the partner of another pair b2 > b1.
 */
function oxelLossGraph(
  g: GraphBuilder,
  out: Output,
  feeds: Record<'idx1' | 'idx2' | 'positive' | 'mask1' | 'mask2', Output>,
  spec: GraphStepSpec,
): { loss: Output; within: Output; between: Output } {
  const { batchSize: b, height: h, width: w, samples: n, norm, lambda } = spec;
  const c = spec.unet.outChannels;
  const flat = g.reshape(out, [2 * b, h * w, c]);
  const a = g.gatherRows(g.sliceRows(flat, 0, b, 3), feeds.idx1); // [B, N, C]
  const p = g.gatherRows(g.sliceRows(flat, b, b, 3), feeds.idx2);
  const valid1 = g.gatherRows(feeds.mask1, feeds.idx1); // [B, N]
  const valid2 = g.gatherRows(feeds.mask2, feeds.idx2);
  const m = g.mul(valid1, valid2);
  const half = g.scalar(0.5);
  const dist = (diff: Output, axis: number) => {
    const reduced =
      norm === 'inf'
        ? g.reduce('Max', g.unary('Abs', diff), [axis])
        : norm === 'l1'
          ? g.reduce('Mean', g.unary('Abs', diff), [axis])
          : g.reduce('Mean', g.unary('Square', diff), [axis]);
    return g.mul(half, reduced);
  };
  const d = dist(g.sub(a, p), 2);
  const f = feeds.positive;
  const mSum = g.add(g.reduce('Sum', m, [1], true), g.scalar(EPS));
  const pbar = g.div(g.reduce('Sum', g.mul(f, m), [1], true), mSum);
  const perSample = g.add(
    g.add(
      g.mul(g.scalar(0.25), g.sub(g.scalar(1), pbar)),
      g.mul(d, g.sub(g.mul(g.scalar(2), f), g.scalar(1))),
    ),
    g.mul(d, d),
  );
  const within = g.reduce('Mean', g.div(g.reduce('Sum', g.mul(perSample, m), [1], true), mSum), [0, 1]);
  // Every pair (b1, b2 > b1): e[b1, b2, n] = dist(a[b1, n] - p[b2, n]) / 2, weighted by both validities.
  const e = dist(g.sub(g.reshape(a, [b, 1, n, c]), g.reshape(p, [1, b, n, c])), 3);
  const upper = new Float32Array(b * b);
  for (let i = 0; i < b; i++) for (let j = i + 1; j < b; j++) upper[i * b + j] = 1;
  const weight = g.mul(
    g.mul(g.reshape(valid1, [b, 1, n]), g.reshape(valid2, [1, b, n])),
    g.constant(upper, [b, b, 1]),
  );
  const dev = g.sub(e, half);
  const between = g.div(
    g.reduce('Sum', g.mul(g.mul(dev, dev), weight), [0, 1, 2]),
    g.add(g.reduce('Sum', weight, [0, 1, 2]), g.scalar(EPS)),
  );
  const loss =
    lambda === 0 ? within : g.add(g.mul(g.scalar(1 - lambda), within), g.mul(g.scalar(lambda), between));
  return { loss, within, between };
}
