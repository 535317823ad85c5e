import type { DescriptorMap } from '@oxels/trainer';
import { assert } from '../errors.ts';

// The trainer's DescriptorMap (float32 [H, W, C], channels-last), the one type both packages pass around.
export type { DescriptorMap };

/** Wraps a float32 [H, W, C] buffer as a DescriptorMap (no copy); checks its length. */
export function descriptorMap(
  data: Float32Array,
  height: number,
  width: number,
  channels: number,
): DescriptorMap {
  assert(
    [height, width, channels].every((n) => Number.isInteger(n) && n > 0),
    'BAD_ARGUMENT',
    () =>
      `descriptorMap: height, width and channels must be positive integers (got ${height}, ${width}, ${channels})`,
  );
  assert(
    data.length === height * width * channels,
    'BAD_ARGUMENT',
    () =>
      `descriptorMap: buffer holds ${data.length} values (expected ${height}x${width}x${channels} = ${height * width * channels})`,
  );
  return { data, height, width, channels };
}

/** The descriptor of pixel (x, y) (integers inside the map): a float32 [C] view into the map, not a copy. */
export function descriptorAt(map: DescriptorMap, x: number, y: number): Float32Array {
  assert(
    Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < map.width && y < map.height,
    'BAD_ARGUMENT',
    () => `descriptorAt: pixel (${x}, ${y}) is not inside the ${map.width}x${map.height} map`,
  );
  const i = (y * map.width + x) * map.channels;
  return map.data.subarray(i, i + map.channels);
}
