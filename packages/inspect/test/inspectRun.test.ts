// inspect --run and view --run: a run of a few steps on a small real dataset, its descriptor pictures,
// the viewer serving its heatmaps, and a Colored MNIST (2D) run drawn on test digits.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRgbImage, fillRect, writeRgbPng } from '@oxels/image';
import { type PairListPayload, runInspect, runView } from '@oxels/inspect';
import { DEFAULT_TRAIN_CONFIG, runTraining, type TrainConfig } from '@oxels/trainer';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureDataset } from './writeFixtureDataset.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const pngSize = (path: string) => {
  const png = decode(readFileSync(path));
  return [png.width, png.height];
};

const tmp = mkdtempSync(join(tmpdir(), 'oxels-inspect-run-'));
let data: string;
const run3d = join(tmp, 'run');
const small: Omit<TrainConfig, 'source'> = {
  ...DEFAULT_TRAIN_CONFIG,
  model: '2d',
  steps: 2,
  batchSize: 4,
  sampling: { ...DEFAULT_TRAIN_CONFIG.sampling, samples: 64, crop: [16, 16] },
  checkpointEvery: 2,
};

beforeAll(async () => {
  ({ dir: data } = await writeFixtureDataset([4]));
  await runTraining({ ...small, source: { kind: 'shards', dir: data } }, run3d, {
    backend: 'wasm',
    threads: 1,
    replicas: 1,
    resume: false,
  });
}, 60_000);
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

describe('pnpm inspect --run', () => {
  it("draws PCA, sign maps and query heatmaps of a pair, by default from the run's own shards", async () => {
    const c = capture();
    const args = [
      '--run',
      run3d,
      '--step',
      '2',
      '--pair',
      'r001-p000002',
      '--queries',
      '3',
      '--channels',
      '0-2,5',
    ];
    expect(await runInspect([...args, '--backend', 'wasm'], c.io)).toBe(0);
    expect(c.err).toEqual([]);
    const text = c.out.join('');
    expect(text).toMatch(/step 2, 2d U-Net, 32 channels, norm inf; backend wasm/);
    expect(text).toMatch(/r001-p000002: query errors (\d+\.\d, ){2}\d+\.\d px/);
    const out = join(run3d, 'inspect');
    expect(readdirSync(out).sort()).toEqual([
      'r001-p000002.heatmaps.png',
      'r001-p000002.pca.png',
      'r001-p000002.signs-a.png',
      'r001-p000002.signs-b.png',
    ]);
    // 32x24 views are drawn 8x (about 256 px): A | B with 4-pixel gaps; three query rows of three panels.
    expect(pngSize(join(out, 'r001-p000002.pca.png'))).toEqual([2 * 256 + 12, 192 + 8]);
    expect(pngSize(join(out, 'r001-p000002.heatmaps.png'))).toEqual([3 * 256 + 16, 3 * (12 + 192 + 4) + 4]);
    // Four channels in a 2x2 grid of 256x192 cells.
    expect(pngSize(join(out, 'r001-p000002.signs-a.png'))[0]).toBe(2 * (256 + 2) + 2);
  }, 60_000);

  it('draws an image and a random warp of it (--image), into --out', async () => {
    const image = createRgbImage(40, 28, [30, 60, 200]);
    fillRect(image, 8, 6, 12, 10, [250, 200, 20]);
    const file = join(tmp, 'blocks.png');
    await writeRgbPng(file, image);
    const out = join(tmp, 'image-out');
    const c = capture();
    expect(await runInspect(['--run', run3d, '--image', file, '--out', out, '--backend', 'wasm'], c.io)).toBe(
      0,
    );
    expect(readdirSync(out).sort()).toEqual([
      'blocks.heatmaps.png',
      'blocks.pca.png',
      'blocks.signs-a.png',
      'blocks.signs-b.png',
    ]);
    // floor(256 / 40) = 6x.
    expect(pngSize(join(out, 'blocks.pca.png'))).toEqual([2 * 240 + 12, 168 + 8]);
  }, 60_000);

  it('fails clearly: no run, a checkpoint it lacks, a channel it lacks, DATA given twice', async () => {
    let c = capture();
    expect(await runInspect(['--run', join(tmp, 'absent'), '--backend', 'wasm'], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/absent holds no training run \(no config\.json/);
    c = capture();
    expect(await runInspect(['--run', run3d, '--step', '1', '--backend', 'wasm'], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/has no checkpoint at step 1 \(kept: 2\)/);
    c = capture();
    expect(await runInspect(['--run', run3d, '--channels', '31-32', '--backend', 'wasm'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/--channels 32 is not in the run's 0..31/);
    c = capture();
    expect(await runInspect([data, '--run', run3d, '--data', data], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/give the dataset once/);
  }, 60_000);
});

describe('pnpm view --run', () => {
  it("serves the run's heatmaps and PCA pictures", async () => {
    const c = capture();
    const { code, server } = await runView([data, '--port', '0', '--run', run3d, '--backend', 'wasm'], c.io);
    expect(code).toBe(0);
    try {
      const pairs = (await (await fetch(`${server!.url}api/pairs`)).json()) as PairListPayload;
      expect(pairs.descriptors).toMatch(/run \(step 2, 2d U-Net, 32 channels\)$/);
      const heat = await fetch(`${server!.url}api/pair/r000-p000001/heatmap.png?x=20&y=12&scale=2`);
      expect(heat.status).toBe(200);
      expect(heat.headers.get('X-Best-Match')).toMatch(/^\d+,\d+$/);
      const png = decode(new Uint8Array(await heat.arrayBuffer()));
      expect([png.width, png.height]).toEqual([64, 48]);
      expect((await fetch(`${server!.url}api/pair/r000-p000001/pca-b.png`)).status).toBe(200);
    } finally {
      await server!.close();
    }
    expect((await runView([data, '--run', run3d, '--descriptors', 'rgb'], capture().io)).code).toBe(2);
  }, 60_000);
});

describe('pnpm inspect --run on a Colored MNIST run', () => {
  it('draws a few test digits and their random warps', async () => {
    const run2d = join(tmp, 'run-cmnist');
    await runTraining(
      {
        ...small,
        steps: 1,
        checkpointEvery: 1,
        sampling: { ...small.sampling, crop: null },
        source: { kind: 'colored-mnist', mnistDir: null },
      },
      run2d,
      { backend: 'wasm', threads: 1, replicas: 1, resume: false },
    );
    const c = capture();
    expect(
      await runInspect(['--run', run2d, '--count', '2', '--queries', '2', '--backend', 'wasm'], c.io),
    ).toBe(0);
    const files = readdirSync(join(run2d, 'inspect')).sort();
    expect(files.filter((f) => f.startsWith('digit-0000.')).length).toBe(4);
    expect(files.filter((f) => f.startsWith('digit-0001.')).length).toBe(4);
    // 32x32 digits drawn 8x.
    expect(pngSize(join(run2d, 'inspect', 'digit-0001.pca.png'))).toEqual([2 * 256 + 12, 256 + 8]);
    expect(existsSync(join(run2d, 'inspect', 'digit-0002.pca.png'))).toBe(false);
  }, 60_000);
});
