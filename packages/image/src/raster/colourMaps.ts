import type { Rgb } from './RgbImage.ts';

// Viridis (matplotlib, CC0) sampled at 9 evenly spaced points; linear interpolation between them is
// within a few levels of the full 256-entry table and keeps its perceptual ordering.
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** Viridis colour of `t` in [0, 1] (clamped; NaN gives the low end): dark purple -> yellow. */
export function viridis(t: number): Rgb {
  const x = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}

/** HSL to RGB: hue in degrees, saturation and lightness in [0, 1]. */
export function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const h = (((hue % 360) + 360) % 360) / 60;
  const c = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const m = lightness - c / 2;
  const [r, g, b] =
    h < 1
      ? [c, x, 0]
      : h < 2
        ? [x, c, 0]
        : h < 3
          ? [0, c, x]
          : h < 4
            ? [0, x, c]
            : h < 5
              ? [x, 0, c]
              : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

/**
 * The colour that codes a position (u, v) of a W x H view, pixel coordinates: the hue runs with u
 * (red at the left through green to violet at the right, stopping short of red again so that the two
 * edges differ) and the lightness with v (lighter at the top), saturated so that lines stay visible
 * over any photograph.
 */
export function positionColour(u: number, v: number, width: number, height: number): Rgb {
  const fu = Math.min(1, Math.max(0, u / width));
  const fv = Math.min(1, Math.max(0, v / height));
  return hslToRgb(290 * fu, 1, 0.72 - 0.3 * fv);
}
