// @oxels/trainer: backbone, losses, 2D warp mode, data streaming, training loop, evaluation.

// errors
export type { TrainerErrorCode } from './errors.ts';
export { TrainerError } from './errors.ts';

// 2D warp mode: homographies, warping, pixel mapping, correspondences, photometric jitter
export type { Mat3, Point2 } from './warp2d/homography.ts';
export { applyHomography, compose3, identity3, invert3, multiply3 } from './warp2d/homography.ts';
export type { Image2D } from './warp2d/Image2D.ts';
export { sampleBilinear } from './warp2d/Image2D.ts';
export {
  addGaussianNoise,
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  motionBlur,
  rotateHue,
} from './warp2d/photometric.ts';
export type { PhotometricOptions } from './warp2d/photometricJitter.ts';
export {
  DEFAULT_PHOTOMETRIC_OPTIONS,
  NO_PHOTOMETRIC_JITTER,
  photometricJitter,
} from './warp2d/photometricJitter.ts';
export type { PixelMapping } from './warp2d/pixelMapping.ts';
export { landingPixel, pixelMapping, viewToViewHomography } from './warp2d/pixelMapping.ts';
export type { WarpOptions } from './warp2d/randomHomography.ts';
export { DEFAULT_WARP_OPTIONS, randomHomography } from './warp2d/randomHomography.ts';
export type { CorrespondenceSample, CorrespondenceSampleOptions } from './warp2d/sampleCorrespondences.ts';
export {
  DEFAULT_CORRESPONDENCE_SAMPLE_OPTIONS,
  sampleCorrespondences,
} from './warp2d/sampleCorrespondences.ts';
export type { WarpedView, WarpImageOptions } from './warp2d/warpImage.ts';
export { warpImage } from './warp2d/warpImage.ts';
export type { WarpPair, WarpPairOptions } from './warp2d/warpPair.ts';
export { DEFAULT_WARP_PAIR_OPTIONS, warpPair } from './warp2d/warpPair.ts';

// 2D data: image sets, Colored MNIST, IDX files, image folders, pair batches
export type { ColoredMnist, ColoredMnistOptions, ColoredMnistSplit } from './data2d/coloredMnist.ts';
export {
  buildColoredMnist,
  COLOR_CYAN,
  COLOR_MAGENTA,
  DEFAULT_COLORED_MNIST_OPTIONS,
  loadColoredMnist,
} from './data2d/coloredMnist.ts';
export { decodeImage } from './data2d/decodeImage.ts';
export type { ImageSet } from './data2d/ImageSet.ts';
export { imageAt, storeImage } from './data2d/ImageSet.ts';
export type { ImageFolderOptions, ImageFolderSet } from './data2d/imageFolder.ts';
export { DEFAULT_IMAGE_FOLDER_OPTIONS, loadImageFolder } from './data2d/imageFolder.ts';
export type { GreyDigits } from './data2d/mnistDigits.ts';
export { loadIdxDigits, loadIdxDirectory, loadNpmMnistDigits } from './data2d/mnistDigits.ts';
export type { IdxArray, IdxType } from './data2d/readIdx.ts';
export { parseIdx, readIdx } from './data2d/readIdx.ts';
export { resizeBilinear } from './data2d/resizeBilinear.ts';
export type { PairBatch, PairBatchOptions } from './data2d/samplePairBatch.ts';
export { DEFAULT_PAIR_BATCH_OPTIONS, samplePairBatch } from './data2d/samplePairBatch.ts';
