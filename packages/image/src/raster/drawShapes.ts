import { type Rgb, type RgbImage, setPixel } from './RgbImage.ts';

// Shapes take continuous pixel coordinates (docs/architecture.md#pixel-coordinates): pixel (x, y) covers
// [x, x+1) x [y, y+1), so a point (u, v) paints pixel (floor(u), floor(v)) and a pixel's centre is
// (x + 0.5, y + 0.5).
// Everything is clipped to the picture and mutates it.

/** Stroke style of the shapes below. */
export interface StrokeStyle {
  /** Blend weight in [0, 1]. */
  alpha: number;
  /** Line thickness in pixels (1 = one-pixel line). */
  width: number;
}

const DEFAULT_STROKE: StrokeStyle = { alpha: 1, width: 1 };

/**
 * Paints the pixels whose centre lies within width/2 of (u, v) (the pixel under it for width <= 1).
 * `painted` collects the pixel indices of one stroke, so that overlapping dabs blend each pixel once
 * (a translucent line would otherwise darken wherever consecutive dabs overlap).
 */
function dab(
  image: RgbImage,
  u: number,
  v: number,
  colour: Rgb,
  style: StrokeStyle,
  painted?: Set<number>,
): void {
  const paint = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
    const key = y * image.width + x;
    if (painted) {
      if (painted.has(key)) return;
      painted.add(key);
    }
    setPixel(image, x, y, colour, style.alpha);
  };
  if (style.width <= 1) {
    paint(Math.floor(u), Math.floor(v));
    return;
  }
  const r = style.width / 2;
  for (let y = Math.floor(v - r); y < v + r; y++) {
    for (let x = Math.floor(u - r); x < u + r; x++) {
      const dx = x + 0.5 - u;
      const dy = y + 0.5 - v;
      if (dx * dx + dy * dy <= r * r) paint(x, y);
    }
  }
}

/**
 * Draws a straight line from (u0, v0) to (u1, v1), pixel coordinates, by stepping at most one pixel at
 * a time (DDA) so that every pixel the segment crosses along its major axis is painted once.
 */
export function drawLine(
  image: RgbImage,
  u0: number,
  v0: number,
  u1: number,
  v1: number,
  colour: Rgb,
  style: Partial<StrokeStyle> = {},
): void {
  const s = { ...DEFAULT_STROKE, ...style };
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(u1 - u0), Math.abs(v1 - v0))));
  const painted = s.alpha < 1 ? new Set<number>() : undefined;
  for (let i = 0; i <= steps; i++) {
    dab(image, u0 + ((u1 - u0) * i) / steps, v0 + ((v1 - v0) * i) / steps, colour, s, painted);
  }
}

/** Draws a "+"-shaped cross of half-size `r` pixels centred at (u, v). */
export function drawPlus(image: RgbImage, u: number, v: number, r: number, colour: Rgb): void {
  drawLine(image, u - r, v, u + r, v, colour);
  drawLine(image, u, v - r, u, v + r, colour);
}

/** Fills the disc of radius `r` pixels centred at (u, v) (pixels whose centre lies inside). */
export function drawDisc(image: RgbImage, u: number, v: number, r: number, colour: Rgb): void {
  dab(image, u, v, colour, { alpha: 1, width: Math.max(1, 2 * r) });
}

/** Draws the outline of the circle of radius `r` pixels centred at (u, v). */
export function drawCircle(image: RgbImage, u: number, v: number, r: number, colour: Rgb): void {
  const n = Math.max(8, Math.ceil(2 * Math.PI * r));
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    setPixel(image, u + r * Math.cos(a), v + r * Math.sin(a), colour);
  }
}
