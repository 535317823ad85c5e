import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type ErrorPayload, overlayLayout, type PairListPayload, runInspect, runView } from '@oxels/inspect';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureDataset } from './writeFixtureDataset.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('pnpm inspect', () => {
  let dir: string;
  beforeAll(async () => {
    ({ dir } = await writeFixtureDataset([2, 3]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the manifest totals and writes overlays of the first --count pairs into DATA/inspect', async () => {
    const c = capture();
    expect(await runInspect([dir, '--count', '3'], c.io)).toBe(0);
    const text = c.out.join('');
    expect(text).toMatch(/5 pairs in 2 shards/);
    expect(text).toMatch(
      /480 sampled pixels: match \d+\.\d%, occluded \d+\.\d%, out of view \d+\.\d%, miss \d+\.\d%/,
    );
    const files = readdirSync(join(dir, 'inspect')).sort();
    expect(files).toEqual([
      'r000-p000000.overlay.png',
      'r000-p000001.overlay.png',
      'r001-p000002.overlay.png',
    ]);
    const png = decode(readFileSync(join(dir, 'inspect', files[0])));
    const layout = overlayLayout(32, 24);
    expect([png.width, png.height]).toEqual([2 * layout.viewWidth, layout.viewHeight + layout.legendHeight]);
    expect(c.err).toEqual([]);
  });

  it('draws the chosen --pair keys into --out', async () => {
    const c = capture();
    const out = join(dir, 'chosen');
    expect(
      await runInspect([dir, '--pair', 'r002-p000004', '--pair', 'r000-p000001', '--out', out], c.io),
    ).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['r000-p000001.overlay.png', 'r002-p000004.overlay.png']);
  });

  it('fails clearly: unknown key (with valid ones), missing directory, bad flags', async () => {
    let c = capture();
    expect(await runInspect([dir, '--pair', 'r001-p000007', '--out', join(dir, 'never')], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/no pair "r001-p000007" .*did you mean r001-p000002, r001-p000003/);
    expect(existsSync(join(dir, 'never'))).toBe(false);

    c = capture();
    expect(await runInspect([join(dir, 'absent')], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/absent is not a directory \(expected the --out of gen-scenes\)/);

    for (const argv of [[dir, '--count', '0'], [dir, '--count', 'many'], [dir, '--bogus'], []]) {
      c = capture();
      expect(await runInspect(argv, c.io)).toBe(2);
      expect(c.err.join('')).toMatch(
        /error: .*(--count must be an integer in 1..inf|unknown option '--bogus'|give a dataset directory DATA \(or --run RUN\))/,
      );
    }
  });
});

describe('pnpm view', () => {
  it('starts on a free port, prints its address, and rejects bad flags', async () => {
    const { dir } = await writeFixtureDataset([1]);
    const c = capture();
    const { code, server } = await runView([dir, '--port', '0', '--descriptors', 'rgb'], c.io);
    expect(code).toBe(0);
    expect(c.out.join('')).toMatch(/\(1 pairs\) at http:\/\/127\.0\.0\.1:\d+\//);
    const pairs = (await (await fetch(`${server!.url}api/pairs`)).json()) as PairListPayload;
    expect(pairs.descriptors).toMatch(/^rgb/);
    await server!.close();

    // Without --descriptors the heatmap hook answers 404 and says how to get one.
    const plain = await runView([dir, '--port', '0'], capture().io);
    const heat = await fetch(`${plain.server!.url}api/pair/r000-p000000/heatmap.png?x=1&y=1`);
    expect(heat.status).toBe(404);
    expect(((await heat.json()) as ErrorPayload).error).toMatch(/no descriptor source.*--descriptors rgb/);
    await plain.server!.close();

    const bad = capture();
    expect((await runView([dir, '--port', '70000'], bad.io)).code).toBe(2);
    expect(bad.err.join('')).toMatch(/--port must be an integer in 0..65535/);
    expect((await runView([dir, '--descriptors', 'dino'], bad.io)).code).toBe(2);
    expect(bad.err.join('')).toMatch(/Allowed choices are rgb/);
    rmSync(dir, { recursive: true, force: true });
  });
});
