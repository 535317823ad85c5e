import {
  type DecodedImage,
  decodeImage,
  encodePng,
  ImageError,
  type PngHeader,
  readPngHeader,
} from '@oxels/image';
import { DatasetError } from './errors.ts';
import { decodeSampleArrays } from './decodeSampleArrays.ts';
import { encodeNpy } from './npy.ts';
import { OPTIONAL_LAYERS, SAMPLE_FILES } from './schema.ts';
import type { ViewPairMeta, ViewPairSample } from './ViewPairSample.ts';

/** One file of a sample: name (key + "." + suffix) and bytes. */
export interface SampleFile {
  name: string;
  data: Uint8Array;
}

/** The files of a sample, in the fixed order they are written to a shard (same order, same bytes). */
export function encodeSample(sample: ViewPairSample): SampleFile[] {
  const { meta } = sample;
  const { key, width: w, height: h } = meta;
  const k = sample.aIndex.length;
  const file = (suffix: string, data: Uint8Array): SampleFile => ({ name: `${key}.${suffix}`, data });
  const rgb = (data: Uint8Array) => encodePng({ width: w, height: h, channels: 3, data });
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
    const inst = (data: Uint16Array) => encodePng({ width: w, height: h, channels: 1, data });
    files.push(file(SAMPLE_FILES.instA, inst(sample.instA)));
    files.push(file(SAMPLE_FILES.instB, inst(sample.instB)));
  }
  return files;
}

/**
 * The optional layers a sample must have: those its dataset promises (the manifest's config.depth and
 * config.instances, see OPTIONAL_LAYERS). A layer not required is still decoded, and checked, when present.
 */
export interface DecodeSampleOptions {
  depth: boolean;
  instances: boolean;
}

/** Defaults of decodeSample: no optional layer required (a reader without the manifest). */
export const DEFAULT_DECODE_SAMPLE_OPTIONS: DecodeSampleOptions = { depth: false, instances: false };

/**
 * Rebuilds a sample from its files (keyed by suffix, e.g. "a.png"). `where` names the shard in errors.
 * The .npy files are decoded and checked at once (dtype, shape, index and status ranges: see
 * decodeSampleArrays). Throws DatasetError('SHARD_READ') naming the missing or malformed file. The PNG
 * images are decoded on first access (then kept): a reader that only needs the correspondence data, like
 * a training run redrawing the batches it did before a resume, skips the decoding that makes most of a
 * read's cost.
 */
export function decodeSample(
  key: string,
  files: Map<string, Uint8Array>,
  where: string,
  options: Partial<DecodeSampleOptions> = {},
): ViewPairSample {
  const required = { ...DEFAULT_DECODE_SAMPLE_OPTIONS, ...options };
  const fail = (what: string) => new DatasetError('SHARD_READ', `decodeSample: ${where}: ${what}`, where);
  const need = (suffix: string): Uint8Array => {
    const data = files.get(suffix);
    if (data) return data;
    const layer = (Object.keys(OPTIONAL_LAYERS) as (keyof DecodeSampleOptions)[]).find((l) =>
      (OPTIONAL_LAYERS[l] as readonly string[]).includes(suffix),
    );
    const promised =
      layer && required[layer] ? ` (the dataset promises ${layer} layers: config.${layer})` : '';
    throw fail(`sample ${key} has no ${key}.${suffix}${promised}`);
  };
  const has = (layer: keyof DecodeSampleOptions) =>
    required[layer] || OPTIONAL_LAYERS[layer].some((suffix) => files.has(suffix));
  let meta: ViewPairMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(need(SAMPLE_FILES.meta)));
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    throw fail(`${key}.json is not valid JSON (${(err as Error).message})`);
  }
  const { width, height } = (meta ?? {}) as Partial<ViewPairMeta>;
  const positive = (n: unknown) => Number.isInteger(n) && (n as number) > 0;
  if (!positive(width) || !positive(height)) {
    throw fail(`${key}.json: width and height must be positive integers (got ${width}x${height})`);
  }
  const png = (suffix: string, channels: 1 | 3, depth: 8 | 16) => {
    const bytes = need(suffix);
    const check = (image: PngHeader) => {
      if (
        image.channels !== channels ||
        image.depth !== depth ||
        image.width !== meta.width ||
        image.height !== meta.height
      ) {
        throw fail(
          `${key}.${suffix} is ${image.width}x${image.height}x${image.channels} (${image.depth}-bit), expected ${meta.width}x${meta.height}x${channels} ${depth}-bit`,
        );
      }
    };
    return () => {
      // The header first, against the sample's own size and format: a corrupt one that declares 16
      // million rows is refused before any row is allocated.
      const header = readPngHeader(bytes);
      if (!header)
        throw fail(`${key}.${suffix} is not a readable PNG (IHDR is not the first and only header chunk)`);
      check(header);
      let image: DecodedImage;
      try {
        image = decodeImage(bytes, `${key}.${suffix}`);
      } catch (err) {
        if (!(err instanceof ImageError)) throw err;
        throw fail(`${key}.${suffix} is not a readable PNG (${err.message})`);
      }
      check(image);
      return image.data;
    };
  };
  const arrays = decodeSampleArrays(
    key,
    {
      aIndex: need(SAMPLE_FILES.aIndex),
      bXY: need(SAMPLE_FILES.bXY),
      status: need(SAMPLE_FILES.status),
      ...(has('depth') && { depthA: need(SAMPLE_FILES.depthA), depthB: need(SAMPLE_FILES.depthB) }),
    },
    meta,
    where,
  );
  const sample = { meta, ...arrays } as ViewPairSample;
  decodeOnFirstRead(sample, 'rgbA', png(SAMPLE_FILES.rgbA, 3, 8));
  decodeOnFirstRead(sample, 'rgbB', png(SAMPLE_FILES.rgbB, 3, 8));
  if (has('instances')) {
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
