/**
 * sRGB <-> linear conversions done by hand rather than through three's `ColorManagement`, whose
 * conversions turn into no-ops when `ColorManagement.enabled` is false (the PLY loader needs it off).
 */

/** sRGB-encoded component in [0, 1] -> linear component (IEC 61966-2-1 piecewise transfer function). */
export function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** An sRGB triple in [0, 1] -> linear triple, as a new array. */
export function srgbToLinear3(rgb: readonly [number, number, number]): [number, number, number] {
  return [srgbToLinear(rgb[0]), srgbToLinear(rgb[1]), srgbToLinear(rgb[2])];
}

/**
 * Drops the alpha channel of tightly packed RGBA8 pixels: [N * 4] -> new [N * 3] bytes, same pixel order.
 */
export function rgbaToRgb(rgba: Uint8Array): Uint8Array {
  const n = rgba.length >> 2;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0, j = 0, k = 0; i < n; i++, j += 4, k += 3) {
    rgb[k] = rgba[j];
    rgb[k + 1] = rgba[j + 1];
    rgb[k + 2] = rgba[j + 2];
  }
  return rgb;
}
