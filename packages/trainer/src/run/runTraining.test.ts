import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_PHOTOMETRIC_JITTER } from '../data/warp/photometricJitter.ts';
import { runTraining } from './runTraining.ts';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './TrainConfig.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-run-training-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Two tiny 2d steps on Colored MNIST. */
const config: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  source: { kind: 'colored-mnist', mnistDir: null },
  model: '2d',
  steps: 2,
  batchSize: 2,
  sampling: { ...DEFAULT_TRAIN_CONFIG.sampling, samples: 32, crop: null },
  checkpointEvery: 1,
};
const run = { backend: 'wasm' as const, threads: 1, replicas: 1, resume: false };

describe('runTraining (2d jitter in the config)', () => {
  it('saves the jitter in config.json and rejects one out of range, naming the flag', async () => {
    const dir = join(tmp, 'saved');
    const photometric = { ...NO_PHOTOMETRIC_JITTER, hue: 0.25 };
    await runTraining({ ...config, steps: 1, photometric }, dir, run);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).photometric).toEqual(photometric);
    await expect(
      runTraining({ ...config, photometric: { ...photometric, hue: 0.75 } }, join(tmp, 'bad'), run),
    ).rejects.toThrow(/train `photometric`: hue must be a number in \[0, 0.5\] \(got 0.75\)/);
  }, 60_000);

  it("resumes a run whose config.json predates the field with that time's jitter, not today's default", async () => {
    const dir = join(tmp, 'old');
    // photometricJitter's defaults before the jitter was part of the config.
    const old = {
      channelShuffle: 0,
      brightness: 0.2,
      contrast: 0.2,
      saturation: 0.2,
      hue: 0.05,
      motionBlur: 3,
      noise: 0.02,
    };
    await runTraining({ ...config, photometric: old }, dir, run, { shouldStop: () => true });
    const path = join(dir, 'config.json');
    const { photometric: _, ...saved } = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify(saved));
    await expect(runTraining(config, dir, { ...run, resume: true })).rejects.toThrow(
      /differ from the run's config.json in photometric/,
    );
    const resumed = await runTraining({ ...config, photometric: old }, dir, { ...run, resume: true });
    expect(resumed).toMatchObject({ startStep: 1, step: 2 });
  }, 60_000);
});
