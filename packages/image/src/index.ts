// @oxels/image: 8-bit RGB pictures, shapes, a bitmap font, colour maps, PNG and JPEG files, line charts.
// A leaf package (no other @oxels dependency), so that every package can draw.

// pictures (pure: a picture is { width, height, data: uint8 [H, W, 3] })
export type { Rgb, RgbImage } from './raster/RgbImage.ts';
export {
  blit,
  createRgbImage,
  fillRect,
  getPixel,
  setPixel,
  upscaleNearest,
  wrapRgb,
} from './raster/RgbImage.ts';
export type { StrokeStyle } from './raster/drawShapes.ts';
export { drawCircle, drawDisc, drawLine, drawPlus } from './raster/drawShapes.ts';
export type { TextOptions } from './raster/bitmapFont.ts';
export { DEFAULT_TEXT_OPTIONS, drawText, FONT_CELL, textWidth } from './raster/bitmapFont.ts';
export { hslToRgb, positionColour, viridis } from './raster/colourMaps.ts';

// charts (pure: series in, picture out)
export type {
  ChartRect,
  ChartSeries,
  LineChartLayout,
  LineChartOptions,
} from './charts/lineChartLayout.ts';
export { chartPoint, DEFAULT_LINE_CHART_OPTIONS, lineChartLayout } from './charts/lineChartLayout.ts';
export { drawLineChart } from './charts/drawLineChart.ts';
export type { ChartSpec } from './charts/drawChartGrid.ts';
export { drawChartGrid } from './charts/drawChartGrid.ts';
export type { AxisTicks } from './charts/axisTicks.ts';
export { axisTicks, formatTick } from './charts/axisTicks.ts';

// PNG and JPEG files: the one decoder and the encoders of every package (pure; writeRgbPng is the file edge)
export type { DecodedImage, PngPixels } from './io/DecodedImage.ts';
export type { DecodeImageOptions } from './io/decodeImage.ts';
export { DEFAULT_DECODE_IMAGE_OPTIONS, decodeImage } from './io/decodeImage.ts';
export type { PngHeader } from './io/pngHeader.ts';
export { readPngHeader } from './io/pngHeader.ts';
export { encodePng } from './io/encodePng.ts';
export { encodeRgbPng } from './io/encodeRgbPng.ts';
export { encodeJpeg } from './io/encodeJpeg.ts';
export { writeRgbPng } from './io/writeRgbPng.ts';

// errors and constants
export { ImageError } from './errors.ts';
export type { ImageErrorCode } from './errors.ts';
export { CHART_COLOURS, SERIES_COLOURS } from './constants.ts';
