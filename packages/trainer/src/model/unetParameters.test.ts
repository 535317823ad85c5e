import { describe, expect, it } from 'vitest';
import { UNET_2D_CONFIG, UNET_3D_CONFIG } from '../constants.ts';
import { unetParameterCount, unetParameters } from './unetParameters.ts';

describe('unetParameters', () => {
  it('counts 995,680 parameters for the paper 2D configuration (paper: 993,664, see the TSDoc)', () => {
    expect(unetParameterCount(UNET_2D_CONFIG)).toBe(995_680);
  });

  it('counts 1,005,072 parameters for the 3D configuration', () => {
    expect(unetParameterCount(UNET_3D_CONFIG)).toBe(1_005_072);
  });

  it('adds 16,768 parameters for bottleneck attention at width 64 (norm 128, qkv 12,480, proj 4,160)', () => {
    expect(unetParameterCount({ ...UNET_2D_CONFIG, attention: true })).toBe(995_680 + 16_768);
  });

  it('names parameters like a PyTorch state_dict, uniquely, with HWIO kernels', () => {
    const specs = unetParameters(UNET_2D_CONFIG);
    const names = specs.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    const byName = new Map(specs.map((s) => [s.name, s]));
    expect(byName.get('stem.weight')?.shape).toEqual([3, 3, 3, 32]);
    expect(byName.get('encoder.0.down.weight')?.shape).toEqual([1, 1, 32, 64]);
    // The first decoder block of a stage takes the concat with the encoder skip: 64 + 64 channels.
    expect(byName.get('decoder.2.blocks.0.conv1.weight')?.shape).toEqual([3, 3, 128, 64]);
    expect(byName.get('decoder.2.blocks.0.skip.weight')?.shape).toEqual([1, 1, 128, 64]);
    expect(byName.get('decoder.2.up.weight')?.shape).toEqual([1, 1, 64, 64]);
    expect(byName.get('decoder.1.up.weight')?.shape).toEqual([1, 1, 64, 32]);
    expect(byName.get('head.conv.weight')?.shape).toEqual([3, 3, 32, 32]);
    expect(names[0]).toBe('stem.weight');
    expect(names.at(-1)).toBe('head.conv.bias');
  });

  it('rejects inconsistent configurations', () => {
    expect(() => unetParameterCount({ ...UNET_2D_CONFIG, blocks: [1, 2] })).toThrow(/one entry per stage/);
    expect(() => unetParameterCount({ ...UNET_2D_CONFIG, dropout: [0, 0, 1] })).toThrow(/dropout rates/);
  });
});
