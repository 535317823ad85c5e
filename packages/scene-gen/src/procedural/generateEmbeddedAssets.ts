import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, type Rng } from '@oxels/core';
import { encodeMtl, encodeObj } from './encodeObj.ts';
import { encodeRoomPly } from './encodeRoomPly.ts';
import { encodeSceneNNXml } from './encodeSceneNNXml.ts';
import { buildBookshelf, buildCabinet, buildChair, buildSofa, buildTable } from './furnitureObjects.ts';
import { type ObjectBuilder, normalizeShapeNet } from './ObjectBuilder.ts';
import { buildPackagedMesh } from './packagedMeshes.ts';
import { buildRoomMesh } from './roomMesh.ts';
import { drawRoomPlan } from './roomPlan.ts';
import { hash2 } from './surfacePatterns.ts';
import { buildBottle, buildBowl, buildLamp, buildMug, buildVase } from './tablewareObjects.ts';

/** Options of generateEmbeddedAssets and ensureDefaultAssets. */
export interface EmbeddedAssetsOptions {
  /** Seed of every random choice; the same seed gives the same bytes. */
  seed: number;
  /** Number of procedural rooms (default 76, the number of SceneNN rooms the paper uses). */
  roomCount: number;
  /** Called after each room or object is written: (done, total, what was written). */
  onProgress?: (done: number, total: number, what: string) => void;
}

/**
 * Version of the embedded default asset generator. Bump it whenever the generator's output
 * changes, so that caches made by an older version are regenerated.
 */
export const EMBEDDED_ASSETS_VERSION = 2;

/** Defaults of generateEmbeddedAssets / ensureDefaultAssets: 76 rooms, as in the paper. */
export const DEFAULT_EMBEDDED_ASSETS_OPTIONS: EmbeddedAssetsOptions = { seed: 76, roomCount: 76 };

/** One category of the embedded objects: WordNet synset id (as ShapeNet uses), taxonomy name, builder. */
interface EmbeddedCategory {
  synsetId: string;
  /** taxonomy.json `name`: comma-separated synonyms, the first is the category. */
  name: string;
  variants: number;
  build: (rng: Rng) => ObjectBuilder;
}

/** The embedded object categories: ShapeNetCore synsets where ShapeNet has them, WordNet ids otherwise. */
export const EMBEDDED_CATEGORIES: readonly EmbeddedCategory[] = [
  { synsetId: '03001627', name: 'chair', variants: 5, build: buildChair },
  { synsetId: '04379243', name: 'table', variants: 5, build: buildTable },
  { synsetId: '03636649', name: 'lamp', variants: 5, build: buildLamp },
  { synsetId: '03797390', name: 'mug', variants: 5, build: buildMug },
  { synsetId: '02876657', name: 'bottle', variants: 5, build: buildBottle },
  { synsetId: '04256520', name: 'sofa,couch,lounge', variants: 5, build: buildSofa },
  { synsetId: '02871439', name: 'bookshelf', variants: 5, build: buildBookshelf },
  { synsetId: '04522168', name: 'vase', variants: 5, build: buildVase },
  { synsetId: '02880940', name: 'bowl', variants: 5, build: buildBowl },
  { synsetId: '02933112', name: 'cabinet', variants: 5, build: buildCabinet },
  {
    synsetId: '02324045',
    name: 'rabbit,coney,cony',
    variants: 1,
    build: (rng) => buildPackagedMesh('bunny', rng),
  },
  { synsetId: '04398044', name: 'teapot', variants: 1, build: (rng) => buildPackagedMesh('teapot', rng) },
];

/** Every tenth room (from the eighth) is written as ASCII PLY, so that both PLY paths run. */
function isAsciiRoom(index: number): boolean {
  return index % 10 === 7;
}

/** Room id of the i-th room (0-based): "p001", "p002"... (p: procedural; SceneNN ids are plain digits). */
export function embeddedRoomId(index: number): string {
  return `p${String(index + 1).padStart(3, '0')}`;
}

/** A ShapeNet-like 32-hex model id, stable across generator versions: md5 of the category and variant. */
export function embeddedModelId(synsetId: string, variant: number): string {
  return createHash('md5').update(`oxels-embedded/${synsetId}/${variant}`).digest('hex');
}

/** An independent 32-bit seed for item (a, b) of a run, so that items do not shift when others change. */
function itemSeed(seed: number, a: number, b: number): number {
  return Math.floor(hash2(a, b, seed) * 0x100000000);
}

/** What generateEmbeddedAssets wrote. */
export interface EmbeddedAssetsSummary {
  scenennDir: string;
  shapenetDir: string;
  roomIds: string[];
  /** "<synsetId>/<modelId>" */
  objectIds: string[];
}

/**
 * Writes the procedural default assets into `outDir` (which should be empty): SceneNN-format
 * rooms under `outDir/scenenn/` and ShapeNetCore-v2-format objects under `outDir/shapenet/`.
 * Deterministic: the same options give byte-identical files. See ensureDefaultAssets for the
 * cached, atomic entry point and what the assets contain.
 */
export async function generateEmbeddedAssets(
  outDir: string,
  options: Partial<EmbeddedAssetsOptions> = {},
): Promise<EmbeddedAssetsSummary> {
  const { seed, roomCount, onProgress } = { ...DEFAULT_EMBEDDED_ASSETS_OPTIONS, ...options };
  const scenennDir = join(outDir, 'scenenn');
  const shapenetDir = join(outDir, 'shapenet');
  const objectCount = EMBEDDED_CATEGORIES.reduce((n, c) => n + c.variants, 0);
  const total = roomCount + objectCount;
  let done = 0;
  const tag = `oxels embedded default assets v${EMBEDDED_ASSETS_VERSION} seed ${seed}`;

  const roomIds: string[] = [];
  for (let i = 0; i < roomCount; i++) {
    const id = embeddedRoomId(i);
    const plan = drawRoomPlan(createRng(itemSeed(seed, 0, i)), id);
    const { mesh, labels } = buildRoomMesh(plan, itemSeed(seed, 1, i));
    const dir = join(scenennDir, id);
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, `${id}.ply`),
      encodeRoomPly(mesh, isAsciiRoom(i) ? 'ascii' : 'binary', `${tag} room ${id}`),
    );
    await writeFile(join(dir, `${id}.xml`), encodeSceneNNXml(labels));
    roomIds.push(id);
    onProgress?.(++done, total, `room ${id}`);
  }

  const objectIds: string[] = [];
  for (const [c, category] of EMBEDDED_CATEGORIES.entries()) {
    for (let v = 0; v < category.variants; v++) {
      const modelId = embeddedModelId(category.synsetId, v);
      const built = category.build(createRng(itemSeed(seed, 2 + c, v)));
      normalizeShapeNet(built.mesh);
      const modelDir = join(shapenetDir, category.synsetId, modelId);
      await mkdir(join(modelDir, 'models'), { recursive: true });
      const comment = `${tag} ${category.name.split(',')[0]} ${category.synsetId}/${modelId}`;
      await writeFile(
        join(modelDir, 'models', 'model_normalized.obj'),
        encodeObj(built.mesh, 'model_normalized.mtl', comment),
      );
      await writeFile(join(modelDir, 'models', 'model_normalized.mtl'), encodeMtl(built.materials, comment));
      if (built.textures.length > 0) await mkdir(join(modelDir, 'images'), { recursive: true });
      for (const t of built.textures) await writeFile(join(modelDir, 'images', t.file), t.bytes);
      objectIds.push(`${category.synsetId}/${modelId}`);
      onProgress?.(++done, total, `object ${category.name.split(',')[0]} ${modelId}`);
    }
  }
  const taxonomy = EMBEDDED_CATEGORIES.map((c) => ({
    synsetId: c.synsetId,
    name: c.name,
    children: [],
    numInstances: c.variants,
  }));
  await writeFile(join(shapenetDir, 'taxonomy.json'), `${JSON.stringify(taxonomy, null, 2)}\n`);
  return { scenennDir, shapenetDir, roomIds, objectIds };
}
