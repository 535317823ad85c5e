// @oxels/trainer: backbone, losses, 2D warp mode, data streaming, training loop, evaluation.

// errors
export type { TrainerErrorCode } from './errors.ts';
export { TrainerError } from './errors.ts';

// constants: backend names, U-Net configurations, loss and optimiser options
export type {
  AdamWOptions,
  BackendName,
  LossNorm,
  OneCycleOptions,
  OxelLossOptions,
  UNetConfig,
  UNetNormalization,
} from './constants.ts';
export {
  BACKEND_NAMES,
  DEFAULT_ADAMW_OPTIONS,
  DEFAULT_CLIP_NORM,
  DEFAULT_ONE_CYCLE_OPTIONS,
  DEFAULT_OXEL_LOSS_OPTIONS,
  LOSS_NORMS,
  UNET_2D_CONFIG,
  UNET_3D_CONFIG,
  UNET_NORMALIZATIONS,
} from './constants.ts';

// backend: tfjs backend selection (tensorflow / webgpu / wasm / cpu)
export type { BackendInfo, InitBackendOptions } from './backend/initBackend.ts';
export { DEFAULT_INIT_BACKEND_OPTIONS, initBackend } from './backend/initBackend.ts';
export type { OpFormulations } from './backend/opFormulations.ts';
export { opFormulations, setOpFormulations } from './backend/opFormulations.ts';

// model: the paper's U-Net
export type { UNetForwardOptions, WeightArray } from './model/UNet.ts';
export { DEFAULT_UNET_FORWARD_OPTIONS, UNet, unetSizeUnit } from './model/UNet.ts';
export { conv2dBias } from './model/ops/conv2dBias.ts';
export { normSilu } from './model/ops/normSilu.ts';
export { sumRows } from './model/ops/sumRows.ts';
export { upsample2x } from './model/ops/upsample2x.ts';
export type { ParameterSpec } from './model/unetParameters.ts';
export { unetParameterCount, unetParameters } from './model/unetParameters.ts';
export { hwioToOihw, oihwToHwio } from './model/weightLayout.ts';

// losses: the paper's stable single-pixel contrastive loss
export type { OxelLossInputs, OxelLossTerms } from './losses/oxelLoss.ts';
export { descriptorDistance, oxelLoss, oxelLossOnSamples, oxelLossStacked } from './losses/oxelLoss.ts';

// train: optimiser, schedule, clipping, one step
export type { AdamWState, AdamWUpdate, ApplyGradientsOptions } from './train/AdamW.ts';
export { AdamW, DEFAULT_APPLY_GRADIENTS_OPTIONS } from './train/AdamW.ts';
export { clipByGlobalNorm } from './train/clipByGlobalNorm.ts';
export { oneCycleRate } from './train/oneCycleRate.ts';
export type { LossAndGradients, TrainBatch, TrainStepOptions, TrainStepResult } from './train/trainStep.ts';
export { DEFAULT_TRAIN_STEP_OPTIONS, lossAndGradients, trainStep } from './train/trainStep.ts';
export { ReplicaPool } from './train/ReplicaPool.ts';

// other objectives on the same backbone: VADeR (pixel InfoNCE, momentum encoder + queue), CLoVE
// (EMA teacher, normalised multi-head attention predictor, margin ranking with hard negatives)
export type { VaderLossOptions, VaderLossTerms } from './losses/vaderLoss.ts';
export { DEFAULT_VADER_LOSS_OPTIONS, vaderLoss } from './losses/vaderLoss.ts';
export type { CloveLossOptions, CloveLossTerms } from './losses/cloveLoss.ts';
export { cloveLoss, DEFAULT_CLOVE_LOSS_OPTIONS } from './losses/cloveLoss.ts';
export { l2Normalize } from './losses/l2Normalize.ts';
export type { AttentionPredictorConfig } from './model/AttentionPredictor.ts';
export { AttentionPredictor, DEFAULT_ATTENTION_PREDICTOR_CONFIG } from './model/AttentionPredictor.ts';
export { emaUpdate } from './train/emaUpdate.ts';
export type { MatchedPixels } from './train/selectMatchedPixels.ts';
export { selectMatchedPixels } from './train/selectMatchedPixels.ts';
export type { VaderOptions, VaderState, VaderStepOptions } from './train/vaderStep.ts';
export { createVaderState, DEFAULT_VADER_OPTIONS, disposeVaderState, vaderStep } from './train/vaderStep.ts';
export type { CloveOptions, CloveState, CloveStepOptions } from './train/cloveStep.ts';
export {
  cloveParameters,
  cloveStep,
  createCloveState,
  DEFAULT_CLOVE_OPTIONS,
  disposeCloveState,
} from './train/cloveStep.ts';
export type { TrainObjective } from './train/trainObjective.ts';
export { createTrainObjective } from './train/trainObjective.ts';
export type { TrainObjectiveName } from './train/TrainConfig.ts';
export { TRAIN_OBJECTIVES } from './train/TrainConfig.ts';

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
export { parsePhotometricOptions, validatePhotometricOptions } from './warp2d/parsePhotometricOptions.ts';
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

// 3D data: view pairs from shards or the live generator -> loss samples -> batches
export type { LossBatch } from './data3d/LossBatch.ts';
export { syntheticLossBatch } from './data3d/syntheticLossBatch.ts';
export type { PackedBatchLayout } from './data3d/packLossBatch.ts';
export { packLossBatch } from './data3d/packLossBatch.ts';
export type { ViewPairExample, ViewPairSampleOptions } from './data3d/sampleViewPair.ts';
export { DEFAULT_VIEW_PAIR_SAMPLE_OPTIONS, sampleViewPair } from './data3d/sampleViewPair.ts';
export { batchExamples } from './data3d/batchExamples.ts';
export type { ShuffleOptions } from './data3d/shuffledSamples.ts';
export { DEFAULT_SHUFFLE_OPTIONS, shuffledSamples } from './data3d/shuffledSamples.ts';
export type { BatchSourceSpec, PairSource } from './data3d/BatchStream.ts';
export { BatchStream } from './data3d/BatchStream.ts';
export type { DatasetShardsOptions } from './data3d/datasetShards.ts';
export { datasetShards } from './data3d/datasetShards.ts';

// training runs: config, loop, checkpoints (TensorFlow.js format + safetensors)
export type { NonFinitePolicy, TrainConfig, TrainRunOptions, TrainSource } from './train/TrainConfig.ts';
export {
  DEFAULT_CROP,
  DEFAULT_KEEP_EVERY,
  DEFAULT_MAX_NON_FINITE,
  DEFAULT_TRAIN_CONFIG,
  NON_FINITE_POLICIES,
} from './train/TrainConfig.ts';
export { fitDefaultCrop } from './train/fitCrop.ts';
export { viewSizeOf } from './train/viewSizeOf.ts';
export type { StepMetrics } from './train/StepMetrics.ts';
export type { TrainHooks, TrainSummary } from './train/runTraining.ts';
export { modelConfig, runTraining, savedConfig } from './train/runTraining.ts';
export type { Checkpoint } from './train/checkpoint.ts';
export {
  checkpointSteps,
  loadCheckpoint,
  loadLatestCheckpoint,
  readTfjsWeights,
  saveCheckpoint,
} from './train/checkpoint.ts';
export { decodeSafetensors, encodeSafetensors } from './train/safetensors.ts';
export type { BatchSource } from './train/openBatchSource.ts';
export { openBatchSource } from './train/openBatchSource.ts';
export { disposeTrainBatch, toTrainBatch } from './train/toTrainBatch.ts';
export { writeTrainingCurves } from './train/writeTrainingCurves.ts';
// the whole training step as one TensorFlow graph (train --graph)
export type { GraphStepSpec } from './graph/GraphTrainStep.ts';
export { GraphTrainStep } from './graph/GraphTrainStep.ts';
export { graphOxelObjective } from './graph/graphOxelObjective.ts';
export { canLoadTfGraph, loadTfGraph } from './graph/GraphBuilder.ts';
export type { LoadedRun } from './train/loadRun.ts';
export { loadRun } from './train/loadRun.ts';
export { describeImages } from './model/describeImages.ts';

// evaluation: correspondence benchmark (nearest neighbour over all of view B, median error, PCK)
export type { DescriptorMap, DescriptorMethod } from './eval/descriptorMaps.ts';
export {
  modelDescriptors,
  patchDescriptors,
  RGB_METHOD,
  RGB_PATCH_METHOD,
  rgbDescriptors,
} from './eval/descriptorMaps.ts';
export { nearestNeighbours } from './eval/nearestNeighbours.ts';
export { pruningAxis } from './eval/pruningAxis.ts';
export type { CorrespondenceMetrics, GroundTruthMatches } from './eval/correspondenceBenchmark.ts';
export {
  correspondenceBenchmark,
  DEFAULT_PCK_THRESHOLDS,
  matchErrors,
  summarizeErrors,
} from './eval/correspondenceBenchmark.ts';
export { selectMatches } from './eval/selectMatches.ts';
export type {
  CorrespondenceEvalOptions,
  CorrespondenceEvaluation,
  CorrespondenceRow,
} from './eval/evaluateCorrespondence.ts';
export {
  DEFAULT_CORRESPONDENCE_EVAL_OPTIONS,
  evaluateCorrespondence,
} from './eval/evaluateCorrespondence.ts';
export type { CorrespondenceReport } from './eval/correspondenceReport.ts';
export { correspondenceMarkdown } from './eval/correspondenceReport.ts';
export { correspondenceCommand } from './eval/correspondenceCommand.ts';

// evaluation: Colored MNIST (the paper's attention probe on frozen descriptors)
export type { AttentionProbeConfig } from './eval/attentionProbe.ts';
export {
  AttentionProbe,
  attentionProbeShapes,
  DEFAULT_ATTENTION_PROBE_CONFIG,
} from './eval/attentionProbe.ts';
export { linear } from './eval/linear.ts';
export { pixelAttention } from './eval/pixelAttention.ts';
export type { ProbeData, ProbeTrainOptions } from './eval/trainProbe.ts';
export { DEFAULT_PROBE_TRAIN_OPTIONS, probeAccuracy, trainProbe } from './eval/trainProbe.ts';
export type { ColoredMnistEvalOptions, ColoredMnistEvalResult } from './eval/evalColoredMnist.ts';
export {
  DEFAULT_COLORED_MNIST_EVAL_OPTIONS,
  describeSplit,
  evalColoredMnist,
} from './eval/evalColoredMnist.ts';
export type {
  ColoredMnistCell,
  ColoredMnistSweepResult,
  MeanStd,
} from './eval/coloredMnistTable.ts';
export {
  coloredMnistMarkdown,
  PAPER_COLORED_MNIST,
  summarizeColoredMnistSweep,
} from './eval/coloredMnistTable.ts';
export type { ColoredMnistReport } from './eval/coloredMnistCommand.ts';
export { coloredMnistCommand } from './eval/coloredMnistCommand.ts';
