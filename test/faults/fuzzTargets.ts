// The readers the fuzz test drives, one target per parser: how a case mutates a real input (see
// fuzzInputs) and reads it. A case passes when the read succeeds or throws an OxelsError naming the
// file; fuzzReaders runs the cases and times them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from '@oxels/core';
import { decodeImage, loadObjAsset, parseRoomPly } from '@oxels/scene-gen';
import { decodeNpy, readManifest, readShard, ShardWriter, scanShard, validateDataset } from '@oxels/dataset';
import { copyObject, type FuzzInputs, type NamedBytes } from './fuzzInputs.ts';
import { type Mutated, mutateBytes, mutateJson, mutateText, pick } from './fuzzMutations.ts';

/** One prepared case: what it did to the input, the reading to time, and the file its errors must name. */
export interface FuzzCase {
  ops: string[];
  /** The path (or name) given to the reader. */
  file: string;
  read: () => unknown;
}

/** A parser under test and how many cases it gets at scale 1. */
export interface FuzzTarget {
  name: string;
  cases: number;
  /** Builds case `index` (writing its files, untimed) from its own seeded `rng`. */
  make: (rng: Rng, index: number) => Promise<FuzzCase> | FuzzCase;
}

/** The optional layers the fuzzed dataset promises, required of every sample read. */
const LAYERS = { depth: true, instances: true };

const latin1 = new TextDecoder('latin1');
const fromLatin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
const utf8 = (text: string) => new TextEncoder().encode(text);

/** Reads every sample of a shard as train does, decoding the lazily decoded images too. */
async function readAllSamples(path: string): Promise<void> {
  for await (const s of readShard(path, LAYERS)) {
    for (const image of [s.rgbA, s.rgbB, s.instA, s.instB]) void image?.length;
  }
}

/** A text file mutated by tokens most of the time, by bytes otherwise. */
function mutateTextFile(rng: Rng, text: string, header = 0): Mutated<Uint8Array> {
  if (rng.next() < 0.3) return mutateBytes(rng, utf8(text));
  const { value, ops } = mutateText(rng, text, header);
  return { value: utf8(value), ops };
}

/** A PLY mutated in its bytes, or by tokens in its header (binary) or anywhere (ASCII). */
function mutatePly(rng: Rng, ply: Uint8Array): Mutated<Uint8Array> {
  if (rng.next() < 0.5) return mutateBytes(rng, ply);
  const text = latin1.decode(ply);
  const end = text.indexOf('end_header\n') + 'end_header\n'.length;
  const headerLines = text.slice(0, end).split('\n').length - 1;
  if (text.startsWith('format ascii', 4)) {
    const { value, ops } = mutateText(rng, text, headerLines);
    return { value: fromLatin1(value), ops };
  }
  const { value, ops } = mutateText(rng, text.slice(0, end), headerLines);
  const out = new Uint8Array(value.length + ply.length - end);
  out.set(fromLatin1(value));
  out.set(ply.subarray(end), value.length);
  return { value: out, ops };
}

/** The shard's entries with one mutated (its bytes, or its JSON), dropped, repeated or renamed. */
function mutateEntries(rng: Rng, entries: NamedBytes[]): Mutated<NamedBytes[]> {
  const out = entries.slice();
  const i = rng.int(out.length);
  const { name, data } = out[i];
  const op = rng.next();
  if (op < 0.05) {
    out.splice(i, 1);
    return { value: out, ops: [`drop ${name}`] };
  }
  if (op < 0.1) {
    out.splice(rng.int(out.length), 0, out[i]);
    return { value: out, ops: [`repeat ${name}`] };
  }
  if (op < 0.15) {
    const other = pick(rng, entries).name;
    const renamed = name.slice(0, name.indexOf('.')) + other.slice(other.indexOf('.'));
    out[i] = { name: renamed, data };
    return { value: out, ops: [`rename ${name} to ${renamed}`] };
  }
  let mutated: Mutated<Uint8Array>;
  if (name.endsWith('.json') && op < 0.6) {
    const json = mutateJson(rng, JSON.parse(new TextDecoder().decode(data)));
    mutated = { value: utf8(JSON.stringify(json.value)), ops: json.ops };
  } else if (name.endsWith('.json')) {
    mutated = mutateTextFile(rng, JSON.stringify(JSON.parse(new TextDecoder().decode(data)), null, 1));
  } else {
    mutated = mutateBytes(rng, data);
  }
  out[i] = { name, data: mutated.value };
  return { value: out, ops: mutated.ops.map((o) => `${name}: ${o}`) };
}

/** Writes `files` as shard-000000.tar in `dir` through the generator's own ShardWriter (tar-stream). */
async function packShard(dir: string, files: NamedBytes[]): Promise<string> {
  const writer = new ShardWriter(dir, 0);
  writer.addFiles(files);
  await writer.close();
  return join(dir, writer.name);
}

/** The fuzz targets over `inputs`, their files written under `work`; `scale` multiplies the cases. */
export function fuzzTargets(inputs: FuzzInputs, work: string, scale = 1): FuzzTarget[] {
  const dirOf = (name: string) => {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const noWarnings = () => {};
  const objText = readFileSync(inputs.object.obj, 'utf8');
  const mtlText = readFileSync(inputs.object.mtl, 'utf8');
  const objCopy = copyObject(inputs.object, dirOf('obj'));
  const mtlCopy = copyObject(inputs.object, dirOf('mtl'));
  const shardBytesDir = dirOf('shard-bytes');
  const shardEntriesDir = dirOf('shard-entries');
  const manifestDir = dirOf('manifest');
  const manifestPath = join(manifestDir, 'manifest.json');
  writeFileSync(join(manifestDir, 'shard-000000.tar'), inputs.shard);
  const manifest = JSON.parse(inputs.manifest);

  const targets: FuzzTarget[] = [
    {
      name: 'npy',
      cases: 300,
      make: (rng, i) => {
        const seed = inputs.npy[i % inputs.npy.length];
        const { value, ops } = mutateBytes(rng, seed.data);
        const file = `fuzz/${seed.name}`;
        return { ops, file, read: () => decodeNpy(value, file) };
      },
    },
    {
      name: 'image',
      cases: 200,
      make: (rng, i) => {
        const seed = inputs.images[i % inputs.images.length];
        const { value, ops } = mutateBytes(rng, seed.data);
        const file = seed.name.includes('/') ? seed.name : `fuzz/${seed.name}`;
        return { ops, file, read: () => decodeImage(value, file) };
      },
    },
    {
      name: 'ply',
      cases: 200,
      make: (rng, i) => {
        const ascii = i % 2 === 1;
        const { value, ops } = mutatePly(rng, ascii ? inputs.plyAscii : inputs.plyBinary);
        const file = `fuzz/room-${ascii ? 'ascii' : 'binary'}.ply`;
        return { ops, file, read: () => parseRoomPly(value, file, { onWarning: noWarnings }) };
      },
    },
    {
      name: 'obj',
      cases: 150,
      make: (rng) => {
        const { value, ops } = mutateTextFile(rng, objText);
        writeFileSync(objCopy.obj, value);
        return { ops, file: objCopy.obj, read: () => loadObjAsset(objCopy.obj, { onWarning: noWarnings }) };
      },
    },
    {
      name: 'mtl',
      cases: 100,
      make: (rng) => {
        const { value, ops } = mutateTextFile(rng, mtlText);
        writeFileSync(mtlCopy.mtl, value);
        // A bad MTL only warns: the OBJ still loads, with grey or Kd materials.
        return { ops, file: mtlCopy.obj, read: () => loadObjAsset(mtlCopy.obj, { onWarning: noWarnings }) };
      },
    },
    {
      name: 'shard-bytes',
      cases: 150,
      make: (rng, i) => {
        const { value, ops } = mutateBytes(rng, inputs.shard);
        const file = join(shardBytesDir, 'shard-000000.tar');
        writeFileSync(file, value);
        // scanShard reads the file whole, readShard streams it: both tar paths.
        return { ops, file, read: () => (i % 2 === 0 ? scanShard(file, LAYERS) : readAllSamples(file)) };
      },
    },
    {
      name: 'shard-entries',
      cases: 200,
      make: async (rng) => {
        const { value, ops } = mutateEntries(rng, inputs.entries);
        const file = await packShard(shardEntriesDir, value);
        return { ops, file, read: () => readAllSamples(file) };
      },
    },
    {
      name: 'manifest',
      cases: 150,
      make: (rng, i) => {
        const op = rng.next();
        let mutated: Mutated<Uint8Array>;
        if (op < 0.5) {
          const json = mutateJson(rng, manifest);
          mutated = { value: utf8(JSON.stringify(json.value, null, 2)), ops: json.ops };
        } else {
          mutated = mutateTextFile(rng, inputs.manifest);
        }
        writeFileSync(manifestPath, mutated.value);
        // validateDataset also acts on what the manifest says (shard records, shardCount).
        const read = () => (i % 3 === 0 ? validateDataset(manifestDir) : readManifest(manifestDir));
        return { ops: mutated.ops, file: manifestPath, read };
      },
    },
  ];
  return targets.map((t) => ({ ...t, cases: Math.round(t.cases * scale) }));
}
