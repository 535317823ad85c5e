import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorrespondenceStatus } from '@oxels/core';
import type { ViewPairSample } from '@oxels/dataset';
import {
  colourDescriptors,
  type ErrorPayload,
  type PairListPayload,
  type PairPayload,
  startViewer,
  type ViewerServer,
} from '@oxels/inspect';
import { decode } from 'fast-png';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureDataset } from './writeFixtureDataset.ts';

// End to end: a real dataset on disk, the real server on a free loopback port, Debian's Chromium
// (scripts/setup.sh --test installs it) driven by playwright-core.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

describe('viewer (headless Chromium)', () => {
  let dir: string;
  let shots: string;
  let samples: ViewPairSample[];
  let server: ViewerServer;
  let browser: Browser;
  let page: Page;
  const logged: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`viewer.test: ${CHROMIUM} is missing (run scripts/setup.sh --test)`);
    ({ dir, samples } = await writeFixtureDataset([2, 1]));
    // Set OXELS_VIEWER_SHOTS=DIR to keep the screenshot and look at it.
    shots = process.env.OXELS_VIEWER_SHOTS ?? mkdtempSync(join(tmpdir(), 'oxels-viewer-shots-'));
    server = await startViewer(dir, {
      port: 0,
      host: '127.0.0.1',
      descriptors: colourDescriptors,
      onLog: (l) => logged.push(l),
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
    page.on('pageerror', (err) => logged.push(`page: ${err.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    if (!process.env.OXELS_VIEWER_SHOTS) rmSync(shots, { recursive: true, force: true });
  });

  it('serves the pair list, a pair with its correspondences, the views, and clear 404s', async () => {
    const pairs = (await (await fetch(`${server.url}api/pairs`)).json()) as PairListPayload;
    expect(pairs.pairs.map((p: { key: string }) => p.key)).toEqual(samples.map((s) => s.meta.key));
    expect(pairs.totals?.pairs).toBe(3);
    expect(pairs.descriptors).toBe(colourDescriptors.name);

    const s = samples[2];
    const pair = (await (await fetch(`${server.url}api/pair/${s.meta.key}`)).json()) as PairPayload;
    expect(pair.correspondences.aIndex).toEqual(Array.from(s.aIndex));
    expect(pair.correspondences.status).toEqual(Array.from(s.status));
    const m = s.status.indexOf(CorrespondenceStatus.MATCH);
    expect(pair.correspondences.bXY.slice(2 * m, 2 * m + 2)).toEqual([s.bXY[2 * m], s.bXY[2 * m + 1]]);
    expect(pair.correspondences.bXY[2 * s.status.indexOf(CorrespondenceStatus.OUT_OF_VIEW)]).toBeNull();

    const b = decode(
      new Uint8Array(await (await fetch(`${server.url}api/pair/${s.meta.key}/b.png`)).arrayBuffer()),
    );
    expect(b.data).toEqual(s.rgbB);
    const overlay = await fetch(`${server.url}api/pair/${s.meta.key}/overlay.png`);
    expect(overlay.headers.get('content-type')).toBe('image/png');

    const missing = await fetch(`${server.url}api/pair/r001-p000009`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorPayload).error).toMatch(
      /no pair "r001-p000009" \(did you mean r001-p000002/,
    );
    expect((await fetch(`${server.url}api/pair/${s.meta.key}/heatmap.png?x=99&y=0`)).status).toBe(400);
    expect((await fetch(`${server.url}nothing`)).status).toBe(404);
  });

  it('answers 400 to a malformed path, 403 to a foreign Host, and never serves outside its files', async () => {
    // node:http, not fetch: fetch normalises '..' away and forbids setting Host.
    const raw = (path: string, host?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const { port } = server;
        get({ host: '127.0.0.1', port, path, headers: host ? { host } : {} }, (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        }).on('error', reject);
      });
    const malformed = await raw('/api/pair/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toEqual({ error: 'malformed percent-encoding in the path' });
    const rebound = await raw('/api/pairs', 'attacker.example:8040');
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('pairs');
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) {
      expect((await raw('/api/pairs', host)).status, host).toBe(200);
    }
    for (const path of ['/../package.json', '/..%2F..%2Fpackage.json', '/api/pair/..%2F..%2Fpackage.json']) {
      const r = await raw(path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('"name"');
    }
  });

  it('answers the heatmap hook: nearest colour within a pixel of the true match', async () => {
    const s = samples[0];
    const i = s.status.indexOf(CorrespondenceStatus.MATCH);
    const [x, y] = [s.aIndex[i] % s.meta.width, Math.floor(s.aIndex[i] / s.meta.width)];
    const res = await fetch(`${server.url}api/pair/${s.meta.key}/heatmap.png?x=${x}&y=${y}&scale=2`);
    expect(res.status).toBe(200);
    const [bx, by] = res.headers.get('x-best-match')!.split(',').map(Number);
    expect(res.headers.get('x-true-match')).toBe(`${s.bXY[2 * i]},${s.bXY[2 * i + 1]}`);
    expect(Math.abs(bx + 0.5 - s.bXY[2 * i])).toBeLessThanOrEqual(1);
    expect(Math.abs(by + 0.5 - s.bXY[2 * i + 1])).toBeLessThanOrEqual(1);
    expect(decode(new Uint8Array(await res.arrayBuffer())).width).toBe(2 * s.meta.width);
    const pca = decode(
      new Uint8Array(await (await fetch(`${server.url}api/pair/${s.meta.key}/pca-b.png`)).arrayBuffer()),
    );
    expect([pca.width, pca.height]).toEqual([s.meta.width, s.meta.height]);
  });

  it('puts the B marker on the stored subpixel match of the hovered sampled pixel of A', async () => {
    const s = samples[1];
    const { width: w, height: h } = s.meta;
    await page.goto(`${server.url}#${s.meta.key}`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#pair-list li.current').textContent()).toBe(s.meta.key);

    const boxA = (await page.locator('#img-a').boundingBox())!;
    const boxB = (await page.locator('#img-b').boundingBox())!;
    const hover = async (x: number, y: number) => {
      await page.mouse.move(boxA.x + ((x + 0.5) * boxA.width) / w, boxA.y + ((y + 0.5) * boxA.height) / h);
    };
    const centre = async (id: string) => {
      const r = (await page.locator(id).boundingBox())!;
      return [r.x + r.width / 2, r.y + r.height / 2];
    };

    // A MATCH in the middle of A: the cross sits on the stored (u, v), scaled to B's displayed size.
    const matches = Array.from(s.status.keys()).filter((i) => s.status[i] === CorrespondenceStatus.MATCH);
    const i = matches[Math.floor(matches.length / 2)];
    const [x, y] = [s.aIndex[i] % w, Math.floor(s.aIndex[i] / w)];
    await hover(x, y);
    await page.waitForSelector(`#readout[data-sample="${i}"]`);
    const [mx, my] = await centre('#marker-b');
    expect(Math.abs(mx - (boxB.x + (s.bXY[2 * i] * boxB.width) / w))).toBeLessThan(0.75);
    expect(Math.abs(my - (boxB.y + (s.bXY[2 * i + 1] * boxB.height) / h))).toBeLessThan(0.75);
    const [ax, ay] = await centre('#marker-a');
    expect(Math.abs(ax - (boxA.x + ((x + 0.5) * boxA.width) / w))).toBeLessThan(0.75);
    expect(Math.abs(ay - (boxA.y + ((y + 0.5) * boxA.height) / h))).toBeLessThan(0.75);
    expect(await page.locator('#readout').textContent()).toContain(
      `MATCH at B (u, v) = (${s.bXY[2 * i].toFixed(3)}, ${s.bXY[2 * i + 1].toFixed(3)})`,
    );
    const shot = decode(await page.screenshot({ path: join(shots, 'viewer-match.png') }));
    expect([shot.width, shot.height]).toEqual([1300, 800]);

    // An OUT_OF_VIEW sample: no marker in B, the status in words.
    const o = s.status.indexOf(CorrespondenceStatus.OUT_OF_VIEW);
    await hover(s.aIndex[o] % w, Math.floor(s.aIndex[o] / w));
    await page.waitForSelector(`#readout[data-sample="${o}"]`);
    expect(await page.locator('#marker-b').isHidden()).toBe(true);
    expect(await page.locator('#readout').textContent()).toContain('OUT OF VIEW');

    // A pixel that is not sampled: the readout names a sampled pixel at the smallest distance.
    const sampled = new Set(s.aIndex);
    const free = Array.from({ length: w * h }, (_, p) => p).find((p) => !sampled.has(p) && p > w * 8)!;
    const [fx, fy] = [free % w, Math.floor(free / w)];
    const nearest = Math.min(
      ...Array.from(s.aIndex, (p) => Math.hypot((p % w) - fx, Math.floor(p / w) - fy)),
    );
    await hover(fx, fy);
    // A string expression: it runs in the page (the test's tsconfig has no DOM types).
    await page.waitForFunction(`document.querySelector('#readout').textContent.includes('(${fx}, ${fy})')`);
    const text = (await page.locator('#readout').textContent())!;
    expect(Number(/, ([\d.]+) px away/.exec(text)?.[1])).toBeCloseTo(nearest, 1);

    // Keyboard: the next pair.
    await page.keyboard.press('j');
    await page.waitForSelector(`#pair-list li.current:text("${samples[2].meta.key}")`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(logged).toEqual([]);
  });

  it('closes cleanly: the port stops answering', async () => {
    await browser.close();
    await server.close();
    await expect(fetch(`${server.url}api/pairs`)).rejects.toThrow();
    await server.close(); // idempotent: afterAll closes again
  });
});
