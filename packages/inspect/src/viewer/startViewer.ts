import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, resolve } from 'node:path';
import { encodeRgbPng } from '@oxels/image';
import { CorrespondenceStatus } from '@oxels/core';
import { DatasetIndex, SAMPLE_FILES } from '@oxels/dataset';
import { DEFAULT_VIEWER_PORT } from '../constants.ts';
import { InspectError } from '../errors.ts';
import { descriptorAt } from '../pictures/DescriptorMap.ts';
import { type DescriptorNorm, distanceHeatmap } from '../pictures/distanceHeatmap.ts';
import { drawCorrespondenceOverlay } from '../pictures/drawCorrespondenceOverlay.ts';
import { fitPca, type PcaBasis, pcaToRgb } from '../pictures/pcaToRgb.ts';
import type { DescriptorSource } from './DescriptorSource.ts';
import { type ErrorPayload, type PairListPayload, pairPayload } from './pairPayload.ts';

/** The names of this machine a local viewer answers to (Host header, port stripped). */
const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The host name of a Host header, without its port; '' when there is none. */
function hostName(header: string | undefined): string {
  if (!header) return '';
  return header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.replace(/:\d+$/, '');
}

/** One percent-decoded path segment; malformed encoding is the client's error (400), not ours. */
function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, 'malformed percent-encoding in the path');
  }
}

/** Options of `startViewer`. */
export interface ViewerOptions {
  /** TCP port; 0 asks the system for a free one. */
  port: number;
  /** Interface to listen on; the default serves this machine only. */
  host: string;
  /** Descriptor maps for the heatmap and PCA pictures (a trained run), or null. */
  descriptors: DescriptorSource | null;
  /** Receives one line per failed request (the viewer's log); library code does not print. */
  onLog: (line: string) => void;
}

/** Defaults of `startViewer`: port 8040 on 127.0.0.1, no descriptors, no log. */
export const DEFAULT_VIEWER_OPTIONS: ViewerOptions = {
  port: DEFAULT_VIEWER_PORT,
  host: '127.0.0.1',
  descriptors: null,
  onLog: () => {},
};

/** A running viewer. */
export interface ViewerServer {
  /** e.g. http://127.0.0.1:8040/ */
  url: string;
  port: number;
  index: DatasetIndex;
  /** Stops listening and drops open connections; resolves when the server is closed. Idempotent. */
  close(): Promise<void>;
}

/** The page's static files, by URL path; nothing else under page/ is served. */
const PAGE_FILES: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/viewer.js': ['viewer.js', 'text/javascript; charset=utf-8'],
  '/viewer.css': ['viewer.css', 'text/css; charset=utf-8'],
};
const PAGE_DIR = new URL('./page/', import.meta.url);
const KEY = /^[A-Za-z0-9_-]{1,64}$/;
const DESCRIPTOR_CACHE_SIZE = 4;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
  headers = {},
): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function intParam(url: URL, name: string, min: number, max: number): number {
  const value = Number(url.searchParams.get(name));
  if (!url.searchParams.has(name) || !Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(
      400,
      `query parameter ${name} must be an integer in ${min}..${max} (got ${url.searchParams.get(name)})`,
    );
  }
  return value;
}

/**
 * Serves the browser viewer of the dataset in `dir` over HTTP (node:http): the page (pair list, both
 * views, hover a pixel of A to see its stored match in B) and a JSON/PNG API:
 *
 *     GET /api/pairs                      dataset name, manifest totals, [{ key, shard }], descriptor source
 *     GET /api/pair/KEY                   PairPayload: metadata and all K correspondences
 *     GET /api/pair/KEY/a.png, b.png      the views as stored in the shard
 *     GET /api/pair/KEY/overlay.png       drawCorrespondenceOverlay
 *     GET /api/pair/KEY/heatmap.png?x=&y=&norm=inf|l1|l2&scale=   distance from A's pixel (x, y) over B
 *     GET /api/pair/KEY/pca-a.png, pca-b.png                      descriptor PCA, one basis for both views
 *
 * The last two need `options.descriptors` (404 otherwise). Resolves once listening.
 */
export async function startViewer(dir: string, options: Partial<ViewerOptions> = {}): Promise<ViewerServer> {
  const o = { ...DEFAULT_VIEWER_OPTIONS, ...options };
  const index = await DatasetIndex.open(resolve(dir));
  const descriptorCache = new Map<
    string,
    Promise<Awaited<ReturnType<DescriptorSource['describe']>> & { basis: PcaBasis }>
  >();

  const descriptorsOf = (key: string) => {
    const source = o.descriptors;
    if (!source) {
      throw new HttpError(
        404,
        'no descriptor source: start the viewer with one (pnpm view DATA --descriptors rgb)',
      );
    }
    let entry = descriptorCache.get(key);
    if (!entry) {
      entry = (async () => {
        const maps = await source.describe(await index.sample(key));
        // One basis for both views, fitted on A, so that equal descriptors get equal colours.
        return { ...maps, basis: fitPca(maps.a, { stride: 4 }) };
      })();
      entry.catch(() => descriptorCache.delete(key));
      descriptorCache.set(key, entry);
      if (descriptorCache.size > DESCRIPTOR_CACHE_SIZE)
        descriptorCache.delete(descriptorCache.keys().next().value as string);
    }
    return entry;
  };

  const routePair = async (res: ServerResponse, url: URL, key: string, resource: string | undefined) => {
    if (!KEY.test(key) || !index.has(key)) {
      throw new HttpError(
        404,
        `no pair ${JSON.stringify(key)} (did you mean ${index.suggest(key, 3).join(', ')}?)`,
      );
    }
    const png = (bytes: Uint8Array, headers = {}) => send(res, 200, 'image/png', bytes, headers);
    switch (resource) {
      case undefined:
        return sendJson(res, 200, pairPayload(await index.sample(key)));
      case 'a.png':
      case 'b.png':
        return png((await index.file(key, resource === 'a.png' ? SAMPLE_FILES.rgbA : SAMPLE_FILES.rgbB))!);
      case 'overlay.png':
        return png(encodeRgbPng(drawCorrespondenceOverlay(await index.sample(key)).image));
      case 'pca-a.png':
      case 'pca-b.png': {
        const d = await descriptorsOf(key);
        return png(encodeRgbPng(pcaToRgb(resource === 'pca-a.png' ? d.a : d.b, { basis: d.basis })));
      }
      case 'heatmap.png': {
        const d = await descriptorsOf(key);
        const x = intParam(url, 'x', 0, d.a.width - 1);
        const y = intParam(url, 'y', 0, d.a.height - 1);
        const scale = url.searchParams.has('scale') ? intParam(url, 'scale', 1, 8) : 1;
        const norm = (url.searchParams.get('norm') ?? 'inf') as DescriptorNorm;
        if (!['inf', 'l1', 'l2'].includes(norm))
          throw new HttpError(400, `norm must be inf, l1 or l2 (got ${norm})`);
        const sample = await index.sample(key);
        const i = sample.aIndex.indexOf(y * sample.meta.width + x);
        const trueMatch =
          i >= 0 && sample.status[i] === CorrespondenceStatus.MATCH
            ? { u: sample.bXY[2 * i], v: sample.bXY[2 * i + 1] }
            : null;
        const heat = distanceHeatmap(descriptorAt(d.a, x, y), d.b, { norm, trueMatch, scale });
        return png(encodeRgbPng(heat.image), {
          'X-Best-Match': `${heat.best.x},${heat.best.y}`,
          'X-True-Match': trueMatch ? `${trueMatch.u},${trueMatch.v}` : 'none',
        });
      }
      default:
        throw new HttpError(404, `no resource ${JSON.stringify(resource)} for a pair`);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // Against DNS rebinding: a page from another site whose name now resolves to this machine sends its
    // own Host. A viewer that serves this machine only answers only to this machine's names.
    if (localOnly && !LOCAL_NAMES.has(hostName(req.headers.host))) {
      throw new HttpError(403, 'this viewer answers to localhost only (Host header)');
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET') throw new HttpError(405, `only GET is served (got ${req.method})`);
    // Browsers ask for it unprompted; "no content" keeps their consoles free of 404s.
    if (url.pathname === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    const page = PAGE_FILES[url.pathname];
    if (page) return send(res, 200, page[1], await readFile(new URL(page[0], PAGE_DIR)));
    if (url.pathname === '/api/pairs') {
      const list: PairListPayload = {
        dataset: basename(index.dir),
        dir: index.dir,
        totals: index.manifest?.totals ?? null,
        pairs: index.pairs.map((p) => ({ key: p.key, shard: basename(p.shard) })),
        descriptors: o.descriptors?.name ?? null,
      };
      return sendJson(res, 200, list);
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodePathPart);
    if (parts[0] === 'api' && parts[1] === 'pair' && parts[2] && parts.length <= 4) {
      return routePair(res, url, parts[2], parts[3]);
    }
    throw new HttpError(404, `nothing at ${url.pathname}`);
  };

  const localOnly = LOCAL_NAMES.has(o.host);
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) o.onLog(`viewer: ${req.method} ${req.url} failed: ${(err as Error).stack ?? err}`);
      // An unexpected error's message may hold paths and internals: it goes to the log only.
      const body: ErrorPayload = {
        error: status === 500 ? "internal error (see the viewer's log)" : (err as Error).message,
      };
      if (!res.headersSent) sendJson(res, status, body);
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new InspectError(
          'BAD_ARGUMENT',
          `startViewer: cannot listen on ${o.host}:${o.port} (${err.code === 'EADDRINUSE' ? 'port in use; try --port 0 for a free one' : err.message})`,
        ),
      ),
    );
    server.listen(o.port, o.host, resolveListen);
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}/`,
    port,
    index,
    close: () => {
      closing ??= new Promise<void>((resolveClose, reject) => {
        server.close((err) => (err ? reject(err) : resolveClose()));
        // Keep-alive connections (a browser's) would hold close() open until they time out.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
