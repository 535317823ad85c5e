import { decode as decodePng } from 'fast-png';
import { PNG } from 'pngjs';
import { SceneGenError } from '../errors.ts';
import { decodeNpy, encodeNpy } from './npy.ts';
import { SAMPLE_FILES } from './schema.ts';
import type { ViewPairMeta, ViewPairSample } from './ViewPairSample.ts';

/** One file of a sample: name (key + "." + suffix) and bytes. */
export interface SampleFile {
  name: string;
  data: Uint8Array;
}

/**
 * PNG encoding with pngjs (Node's native zlib: 2.4x faster than the pure-JS deflate of fast-png, which
 * decodes), a fixed Sub filter and deflate level 3: throughput over the last percent of file size.
 */
function encodePng(
  width: number,
  height: number,
  data: Uint8Array | Uint16Array,
  channels: 1 | 3,
): Uint8Array {
  const colorType = channels === 3 ? 2 : 0;
  const options = {
    width,
    height,
    colorType,
    inputColorType: colorType,
    inputHasAlpha: false,
    bitDepth: (data instanceof Uint16Array ? 16 : 8) as 8 | 16,
    deflateLevel: 3,
    filterType: 1,
  } as const;
  const png = new PNG(options);
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return PNG.sync.write(png, options);
}

/** The files of a sample, in the fixed order they are written to a shard (same order, same bytes). */
export function encodeSample(sample: ViewPairSample): SampleFile[] {
  const { meta } = sample;
  const { key, width: w, height: h } = meta;
  const k = sample.aIndex.length;
  const file = (suffix: string, data: Uint8Array): SampleFile => ({ name: `${key}.${suffix}`, data });
  const rgb = (data: Uint8Array) => encodePng(w, h, data, 3);
  const files = [
    file(SAMPLE_FILES.meta, new TextEncoder().encode(JSON.stringify(meta))),
    file(SAMPLE_FILES.rgbA, rgb(sample.rgbA)),
    file(SAMPLE_FILES.rgbB, rgb(sample.rgbB)),
    file(SAMPLE_FILES.aIndex, encodeNpy(sample.aIndex, [k])),
    file(SAMPLE_FILES.bXY, encodeNpy(sample.bXY, [k, 2])),
    file(SAMPLE_FILES.status, encodeNpy(sample.status, [k])),
  ];
  if (sample.depthA && sample.depthB) {
    files.push(file(SAMPLE_FILES.depthA, encodeNpy(sample.depthA, [h, w])));
    files.push(file(SAMPLE_FILES.depthB, encodeNpy(sample.depthB, [h, w])));
  }
  if (sample.instA && sample.instB) {
    const inst = (data: Uint16Array) => encodePng(w, h, data, 1);
    files.push(file(SAMPLE_FILES.instA, inst(sample.instA)));
    files.push(file(SAMPLE_FILES.instB, inst(sample.instB)));
  }
  return files;
}

/**
 * Rebuilds a sample from its files (keyed by suffix, e.g. "a.png"). `where` names the shard in errors.
 * Throws SceneGenError('SHARD_READ') naming the missing or malformed file. The PNG images are decoded
 * on first access (then kept): a reader that only needs the correspondence data, like a training run
 * redrawing the batches it did before a resume, skips the decoding that makes most of a read's cost.
 */
export function decodeSample(key: string, files: Map<string, Uint8Array>, where: string): ViewPairSample {
  const need = (suffix: string): Uint8Array => {
    const data = files.get(suffix);
    if (!data)
      throw new SceneGenError(
        'SHARD_READ',
        `decodeSample: ${where}: sample ${key} has no ${key}.${suffix}`,
        where,
      );
    return data;
  };
  const npy = (suffix: string) => decodeNpy(need(suffix), `${where}:${key}.${suffix}`).data;
  let meta: ViewPairMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(need(SAMPLE_FILES.meta)));
  } catch (err) {
    throw new SceneGenError(
      'SHARD_READ',
      `decodeSample: ${where}: ${key}.json is not valid JSON (${(err as Error).message})`,
      where,
    );
  }
  const png = (suffix: string, channels: 1 | 3, depth: 8 | 16) => {
    const bytes = need(suffix);
    return () => {
      let image: ReturnType<typeof decodePng>;
      try {
        image = decodePng(bytes);
      } catch (err) {
        throw new SceneGenError(
          'SHARD_READ',
          `decodeSample: ${where}: ${key}.${suffix} is not a readable PNG (${(err as Error).message})`,
          where,
        );
      }
      if (
        image.channels !== channels ||
        image.depth !== depth ||
        image.width !== meta.width ||
        image.height !== meta.height
      ) {
        throw new SceneGenError(
          'SHARD_READ',
          `decodeSample: ${where}: ${key}.${suffix} is ${image.width}x${image.height}x${image.channels} (${image.depth}-bit), expected ${meta.width}x${meta.height}x${channels} ${depth}-bit`,
          where,
        );
      }
      return image.data;
    };
  };
  const sample = {
    meta,
    aIndex: npy(SAMPLE_FILES.aIndex) as Int32Array,
    bXY: npy(SAMPLE_FILES.bXY) as Float32Array,
    status: npy(SAMPLE_FILES.status) as Uint8Array,
  } as ViewPairSample;
  decodeOnFirstRead(sample, 'rgbA', png(SAMPLE_FILES.rgbA, 3, 8));
  decodeOnFirstRead(sample, 'rgbB', png(SAMPLE_FILES.rgbB, 3, 8));
  if (files.has(SAMPLE_FILES.depthA)) {
    sample.depthA = npy(SAMPLE_FILES.depthA) as Float32Array;
    sample.depthB = npy(SAMPLE_FILES.depthB) as Float32Array;
  }
  if (files.has(SAMPLE_FILES.instA)) {
    decodeOnFirstRead(sample, 'instA', png(SAMPLE_FILES.instA, 1, 16));
    decodeOnFirstRead(sample, 'instB', png(SAMPLE_FILES.instB, 1, 16));
  }
  return sample;
}

/**
 * Defines `sample[field]` as a getter that decodes once and then turns into a plain data property
 * (enumerable, so spreading, comparing and structured cloning see the image as before).
 */
function decodeOnFirstRead<K extends 'rgbA' | 'rgbB' | 'instA' | 'instB'>(
  sample: ViewPairSample,
  field: K,
  decode: () => unknown,
): void {
  Object.defineProperty(sample, field, {
    configurable: true,
    enumerable: true,
    get() {
      const value = decode();
      Object.defineProperty(sample, field, { value, writable: true, enumerable: true, configurable: true });
      return value;
    },
    set(value: ViewPairSample[K]) {
      Object.defineProperty(sample, field, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}
