import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { TrainerError } from '../errors.ts';

/** TensorFlow's DataType enum values the trainer's graphs use. */
export const DT = { float32: 1, int32: 3, resource: 20 } as const;

/** An output of a graph operation: [operation id, output index]. */
export type Output = readonly [op: number, index: number];

/** A tensor crossing into or out of a session (copied). */
export interface GraphTensor {
  dtype: number;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

type Attr = [
  name: string,
  kind: 'type' | 'int' | 'float' | 'bool' | 'string' | 'ints' | 'shape' | 'tensor',
  value: unknown,
];

/** The N-API addon over libtensorflow's graph API (native/tfGraph.cc). */
interface TfGraphNative {
  newGraph(): unknown;
  addOp(
    graph: unknown,
    type: string,
    name: string,
    inputs: (Output | Output[])[],
    attrs: Attr[],
    control: number[],
  ): number;
  addGradients(graph: unknown, ys: Output[], xs: Output[]): (Output | null)[];
  newSession(graph: unknown, intraOpThreads: number, interOpThreads: number): unknown;
  run(session: unknown, feeds: [Output, GraphTensor][], fetches: Output[], targets: number[]): GraphTensor[];
}

/** Where scripts/setup-tensorflow.sh puts the addon, beside the package's sources. */
const ADDON = new URL('../../native/build/tfGraph.node', import.meta.url).pathname;
let native: TfGraphNative | undefined;

/** The addon, loaded once; TrainerError('BACKEND_UNAVAILABLE') saying how to build it where it is missing. */
export function loadTfGraph(): TfGraphNative {
  if (native) return native;
  if (!existsSync(ADDON)) {
    throw new TrainerError(
      'BACKEND_UNAVAILABLE',
      `the whole-step graph needs ${ADDON}: run bash scripts/setup-tensorflow.sh (it builds it with the tensorflow backend)`,
    );
  }
  native = createRequire(import.meta.url)(ADDON) as TfGraphNative;
  return native;
}

/** Whether the addon loads here (scripts/setup-tensorflow.sh built it). */
export function canLoadTfGraph(): boolean {
  try {
    loadTfGraph();
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds a TensorFlow graph op by op: each method adds one operation and returns its output. Names
 * are made unique by a counter, so that callers can pass readable prefixes. Shapes are TensorFlow's,
 * NHWC for images.
 */
export class GraphBuilder {
  readonly native = loadTfGraph();
  readonly graph = this.native.newGraph();
  private count = 0;

  /** Adds `type` and returns its operation id. */
  addOp(
    type: string,
    inputs: (Output | Output[])[],
    attrs: Attr[] = [],
    name = type,
    control: number[] = [],
  ): number {
    return this.native.addOp(this.graph, type, `${name}_${this.count++}`, inputs, attrs, control);
  }

  /** Adds `type` and returns its first output. */
  op(type: string, inputs: (Output | Output[])[], attrs: Attr[] = [], name = type): Output {
    return [this.addOp(type, inputs, attrs, name), 0];
  }

  placeholder(name: string, dtype: number, shape: number[]): Output {
    return this.op(
      'Placeholder',
      [],
      [
        ['dtype', 'type', dtype],
        ['shape', 'shape', shape],
      ],
      name,
    );
  }

  constant(data: Float32Array | Int32Array, shape: number[]): Output {
    const dtype = data instanceof Int32Array ? DT.int32 : DT.float32;
    return this.op(
      'Const',
      [],
      [
        ['dtype', 'type', dtype],
        ['value', 'tensor', { dtype, shape, data }],
      ],
    );
  }
  scalar(x: number): Output {
    return this.constant(new Float32Array([x]), []);
  }
  ints(values: number[]): Output {
    return this.constant(Int32Array.from(values), [values.length]);
  }

  add(a: Output, b: Output): Output {
    return this.op('AddV2', [a, b]);
  }
  sub(a: Output, b: Output): Output {
    return this.op('Sub', [a, b]);
  }
  mul(a: Output, b: Output): Output {
    return this.op('Mul', [a, b]);
  }
  div(a: Output, b: Output): Output {
    return this.op('RealDiv', [a, b]);
  }
  maximum(a: Output, b: Output): Output {
    return this.op('Maximum', [a, b]);
  }
  minimum(a: Output, b: Output): Output {
    return this.op('Minimum', [a, b]);
  }
  unary(type: 'Square' | 'Sqrt' | 'Rsqrt' | 'Abs' | 'Sigmoid' | 'Floor', x: Output): Output {
    return this.op(type, [x]);
  }
  addN(xs: Output[]): Output {
    return xs.length === 1 ? xs[0] : this.op('AddN', [xs]);
  }

  /** Sum, Mean or Max over `axes`. */
  reduce(type: 'Sum' | 'Mean' | 'Max', x: Output, axes: number[], keepDims = false): Output {
    return this.op(type, [x, this.ints(axes)], [['keep_dims', 'bool', keepDims]]);
  }

  reshape(x: Output, shape: number[]): Output {
    return this.op('Reshape', [x, this.ints(shape)]);
  }

  /** x[begin : begin + size] along axis 0 (the images of a stacked batch). */
  sliceRows(x: Output, begin: number, size: number, rank: number): Output {
    const b = new Array(rank).fill(0);
    const s = new Array(rank).fill(-1);
    b[0] = begin;
    s[0] = size;
    return this.op('Slice', [x, this.ints(b), this.ints(s)]);
  }

  concat(xs: Output[], axis: number): Output {
    return this.op('ConcatV2', [xs, this.constant(new Int32Array([axis]), [])]);
  }

  /** params[b, indices[b, n]] along axis 1, per batch row: [B, N, ...]. */
  gatherRows(params: Output, indices: Output): Output {
    return this.op(
      'GatherV2',
      [params, indices, this.constant(new Int32Array([1]), [])],
      [['batch_dims', 'int', 1]],
    );
  }

  conv2d(x: Output, w: Output): Output {
    return this.op(
      'Conv2D',
      [x, w],
      [
        ['T', 'type', DT.float32],
        ['strides', 'ints', [1, 1, 1, 1]],
        ['padding', 'string', 'SAME'],
      ],
    );
  }
  biasAdd(x: Output, b: Output): Output {
    return this.op('BiasAdd', [x, b]);
  }
  avgPool2x(x: Output): Output {
    return this.op(
      'AvgPool',
      [x],
      [
        ['ksize', 'ints', [1, 2, 2, 1]],
        ['strides', 'ints', [1, 2, 2, 1]],
        ['padding', 'string', 'VALID'],
      ],
    );
  }
  /** Nearest-neighbour 2x upsampling of [B, H, W, C]. */
  upsample2x(x: Output, height: number, width: number): Output {
    return this.op('ResizeNearestNeighbor', [x, this.ints([2 * height, 2 * width])]);
  }
  /** Uniform [0, 1) noise of `shape`, a function of `seed` (int32 [2]) alone. */
  statelessUniform(shape: number[], seed: Output): Output {
    return this.op('StatelessRandomUniform', [this.ints(shape), seed], [['dtype', 'type', DT.float32]]);
  }

  /** A resource variable; read it with `read`, write it with `assign`. */
  variable(name: string, shape: number[]): Output {
    return this.op(
      'VarHandleOp',
      [],
      [
        ['dtype', 'type', DT.float32],
        ['shape', 'shape', shape],
        ['shared_name', 'string', name],
      ],
      'var',
    );
  }
  read(variable: Output): Output {
    return this.op('ReadVariableOp', [variable], [['dtype', 'type', DT.float32]]);
  }
  /** Returns the assign's operation id, a target to run. */
  assign(variable: Output, value: Output): number {
    return this.addOp('AssignVariableOp', [variable, value], [['dtype', 'type', DT.float32]]);
  }

  /** d(sum ys)/dxs, added to the graph by TensorFlow's gradient registry; null where xs do not reach ys. */
  gradients(ys: Output[], xs: Output[]): (Output | null)[] {
    return this.native.addGradients(this.graph, ys, xs);
  }
}
