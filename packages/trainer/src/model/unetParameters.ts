import type { UNetConfig } from '../constants.ts';
import { assert } from '../errors.ts';

/** How a parameter is initialised. `heNormal`: N(0, 2 / fanIn), He et al. 2015, suited to SiLU nets. */
export type ParameterInit = 'heNormal' | 'zeros' | 'ones';

/** One trainable tensor of the U-Net. */
export interface ParameterSpec {
  /** PyTorch-style state_dict key, e.g. `encoder.1.blocks.0.conv1.weight`. */
  name: string;
  /** Shape in tfjs layout: conv kernels are [k, k, Cin, Cout] (HWIO), vectors [C]. */
  shape: number[];
  init: ParameterInit;
  /** Inputs feeding each output unit (k * k * Cin for a conv kernel), for `heNormal`. */
  fanIn: number;
}

function conv(name: string, k: number, cin: number, cout: number): ParameterSpec[] {
  return [
    { name: `${name}.weight`, shape: [k, k, cin, cout], init: 'heNormal', fanIn: k * k * cin },
    { name: `${name}.bias`, shape: [cout], init: 'zeros', fanIn: 0 },
  ];
}

function norm(name: string, c: number): ParameterSpec[] {
  return [
    { name: `${name}.weight`, shape: [c], init: 'ones', fanIn: 0 },
    { name: `${name}.bias`, shape: [c], init: 'zeros', fanIn: 0 },
  ];
}

/** Parameters of one residual block: norm1 -> SiLU -> conv1 -> norm2 -> SiLU -> dropout -> conv2, plus a 1x1 skip conv when Cin != Cout. */
export function resBlockParameters(name: string, cin: number, cout: number): ParameterSpec[] {
  return [
    ...norm(`${name}.norm1`, cin),
    ...conv(`${name}.conv1`, 3, cin, cout),
    ...norm(`${name}.norm2`, cout),
    ...conv(`${name}.conv2`, 3, cout, cout),
    ...(cin === cout ? [] : conv(`${name}.skip`, 1, cin, cout)),
  ];
}

/** Checks a U-Net configuration at the public boundary. */
export function validateUNetConfig(config: UNetConfig): void {
  const { widths, blocks, dropout } = config;
  assert(
    widths.length >= 1 && blocks.length === widths.length && dropout.length === widths.length,
    'BAD_ARGUMENT',
    () =>
      `UNet: widths, blocks and dropout need one entry per stage (got ${widths.length}, ${blocks.length}, ${dropout.length})`,
  );
  for (const [key, list] of [
    ['widths', widths],
    ['blocks', blocks],
  ] as const) {
    assert(
      list.every((v) => Number.isInteger(v) && v >= (key === 'widths' ? 1 : 0)),
      'BAD_ARGUMENT',
      () => `UNet: ${key} must be ${key === 'widths' ? 'positive' : 'non-negative'} integers (got [${list}])`,
    );
  }
  assert(
    dropout.every((r) => r >= 0 && r < 1),
    'BAD_ARGUMENT',
    () => `UNet: dropout rates must lie in [0, 1) (got [${dropout}])`,
  );
  assert(
    Number.isInteger(config.inChannels) && config.inChannels >= 1,
    'BAD_ARGUMENT',
    () => `UNet: inChannels must be a positive integer (got ${config.inChannels})`,
  );
  assert(
    Number.isInteger(config.outChannels) && config.outChannels >= 1,
    'BAD_ARGUMENT',
    () => `UNet: outChannels must be a positive integer (got ${config.outChannels})`,
  );
}

/**
 * Every parameter of the U-Net, in state_dict order. Layout (S = number of stages, w = widths):
 *
 *     stem            3x3 conv inChannels -> w[0]
 *     encoder.s       blocks[s] residual blocks at width w[s]; for s < S-1 then `down`:
 *                     2x2 average pool and 1x1 conv w[s] -> w[s+1]
 *     mid             one residual block at w[S-1] (+ `mid.attn` self-attention when enabled)
 *     decoder.s       (s = S-1 .. 0) blocks[s] + 1 residual blocks at width w[s]; the first takes the
 *                     channel concat of the running tensor and encoder stage s's output (the skip);
 *                     for s > 0 then `up`: 1x1 conv w[s] -> w[s-1] and nearest-neighbour 2x upsampling
 *     head            group norm -> SiLU -> 3x3 conv w[0] -> outChannels
 *
 * This reading of the paper's description gives 995,680 parameters for the 2D configuration; the
 * paper reports 993,664 (0.2% fewer). Its code is not public, and none of the variants we tried
 * (skips after every block as in DDPM U-Nets, 3x3 up-convs, two bottleneck blocks, no biases on 1x1
 * convs, ...) gives the exact figure, so the remaining 2,016 parameters stay unexplained.
 */
export function unetParameters(config: UNetConfig): ParameterSpec[] {
  validateUNetConfig(config);
  const { widths, blocks } = config;
  const last = widths.length - 1;
  const specs: ParameterSpec[] = [...conv('stem', 3, config.inChannels, widths[0])];
  let c = widths[0];
  for (let s = 0; s <= last; s++) {
    for (let i = 0; i < blocks[s]; i++) {
      specs.push(...resBlockParameters(`encoder.${s}.blocks.${i}`, c, widths[s]));
      c = widths[s];
    }
    if (s < last) {
      specs.push(...conv(`encoder.${s}.down`, 1, c, widths[s + 1]));
      c = widths[s + 1];
    }
  }
  specs.push(...resBlockParameters('mid.block', c, c));
  if (config.attention) {
    specs.push(
      ...norm('mid.attn.norm', c),
      ...conv('mid.attn.qkv', 1, c, 3 * c),
      ...conv('mid.attn.proj', 1, c, c),
    );
  }
  for (let s = last; s >= 0; s--) {
    for (let i = 0; i <= blocks[s]; i++) {
      specs.push(...resBlockParameters(`decoder.${s}.blocks.${i}`, i === 0 ? c + widths[s] : c, widths[s]));
      c = widths[s];
    }
    if (s > 0) {
      specs.push(...conv(`decoder.${s}.up`, 1, c, widths[s - 1]));
      c = widths[s - 1];
    }
  }
  specs.push(...norm('head.norm', c), ...conv('head.conv', 3, c, config.outChannels));
  return specs;
}

/** Number of scalar parameters of a U-Net with this configuration (no tensors are created). */
export function unetParameterCount(config: UNetConfig): number {
  return unetParameters(config).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}
