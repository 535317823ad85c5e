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
export type { BackendPlan, BackendRequest, PlannedConfig, ReplicaDecision } from './backend/planBackend.ts';
export { checkBackendRequest, decideGraph, decideReplicas, planBackend } from './backend/planBackend.ts';
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

// optim: AdamW, the one-cycle schedule, global-norm clipping
export type { AdamWState, AdamWUpdate, ApplyGradientsOptions } from './optim/AdamW.ts';
export { AdamW, DEFAULT_APPLY_GRADIENTS_OPTIONS } from './optim/AdamW.ts';
export { clipByGlobalNorm } from './optim/clipByGlobalNorm.ts';
export { oneCycleRate } from './optim/oneCycleRate.ts';

// objectives: one oxel training step (the loss on a batch, its gradients, the update)
export type {
  LossAndGradients,
  TrainBatch,
  TrainStepOptions,
  TrainStepResult,
} from './objectives/trainStep.ts';
export { DEFAULT_TRAIN_STEP_OPTIONS, lossAndGradients, trainStep } from './objectives/trainStep.ts';

// parallel: data-parallel replicas of the step on wasm worker threads
export { ReplicaPool } from './parallel/ReplicaPool.ts';

// other objectives on the same backbone: VADeR (pixel InfoNCE, momentum encoder + queue), CLoVE
// (EMA teacher, normalised multi-head attention predictor, margin ranking with hard negatives)
export type { VaderLossOptions, VaderLossTerms } from './losses/vaderLoss.ts';
export { DEFAULT_VADER_LOSS_OPTIONS, vaderLoss } from './losses/vaderLoss.ts';
export type { CloveLossOptions, CloveLossTerms } from './losses/cloveLoss.ts';
export { cloveLoss, DEFAULT_CLOVE_LOSS_OPTIONS } from './losses/cloveLoss.ts';
export { l2Normalize } from './losses/l2Normalize.ts';
export type { AttentionPredictorConfig } from './model/AttentionPredictor.ts';
export { AttentionPredictor, DEFAULT_ATTENTION_PREDICTOR_CONFIG } from './model/AttentionPredictor.ts';
export { emaUpdate } from './optim/emaUpdate.ts';
export type { MatchedPixels } from './objectives/selectMatchedPixels.ts';
export { selectMatchedPixels } from './objectives/selectMatchedPixels.ts';
export type { VaderOptions, VaderState, VaderStepOptions } from './objectives/vaderStep.ts';
export {
  createVaderState,
  DEFAULT_VADER_OPTIONS,
  disposeVaderState,
  vaderStep,
} from './objectives/vaderStep.ts';
export type { CloveOptions, CloveState, CloveStepOptions } from './objectives/cloveStep.ts';
export {
  cloveParameters,
  cloveStep,
  createCloveState,
  DEFAULT_CLOVE_OPTIONS,
  disposeCloveState,
} from './objectives/cloveStep.ts';
export type { TrainObjective } from './objectives/trainObjective.ts';
export { createTrainObjective } from './objectives/trainObjective.ts';
export type { TrainObjectiveName } from './run/TrainConfig.ts';
export { TRAIN_OBJECTIVES } from './run/TrainConfig.ts';

// 2D warp mode: homographies, warping, pixel mapping, correspondences, photometric jitter
export type { Mat3, Point2 } from './data/warp/homography.ts';
export { applyHomography, compose3, identity3, invert3, multiply3 } from './data/warp/homography.ts';
export type { Image2D } from './data/warp/Image2D.ts';
export { sampleBilinear } from './data/warp/Image2D.ts';
export {
  addGaussianNoise,
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  motionBlur,
  rotateHue,
} from './data/warp/photometric.ts';
export { parsePhotometricOptions, validatePhotometricOptions } from './data/warp/parsePhotometricOptions.ts';
export type { PhotometricOptions } from './data/warp/photometricJitter.ts';
export {
  DEFAULT_PHOTOMETRIC_OPTIONS,
  NO_PHOTOMETRIC_JITTER,
  photometricJitter,
} from './data/warp/photometricJitter.ts';
export type { PixelMapping } from './data/warp/pixelMapping.ts';
export { landingPixel, pixelMapping, viewToViewHomography } from './data/warp/pixelMapping.ts';
export type { WarpOptions } from './data/warp/randomHomography.ts';
export { DEFAULT_WARP_OPTIONS, randomHomography } from './data/warp/randomHomography.ts';
export type { CorrespondenceSample, CorrespondenceSampleOptions } from './data/warp/sampleCorrespondences.ts';
export {
  DEFAULT_CORRESPONDENCE_SAMPLE_OPTIONS,
  sampleCorrespondences,
} from './data/warp/sampleCorrespondences.ts';
export type { WarpedView, WarpImageOptions } from './data/warp/warpImage.ts';
export { warpImage } from './data/warp/warpImage.ts';
export type { WarpPair, WarpPairOptions } from './data/warp/warpPair.ts';
export { DEFAULT_WARP_PAIR_OPTIONS, warpPair } from './data/warp/warpPair.ts';

// 2D data: image sets, Colored MNIST, IDX files, image folders, pair batches
export type { ColoredMnist, ColoredMnistOptions, ColoredMnistSplit } from './data/images/coloredMnist.ts';
export {
  buildColoredMnist,
  COLOR_CYAN,
  COLOR_MAGENTA,
  DEFAULT_COLORED_MNIST_OPTIONS,
  loadColoredMnist,
} from './data/images/coloredMnist.ts';
export { decodeImage } from './data/images/decodeImage.ts';
export type { ImageSet } from './data/images/ImageSet.ts';
export { imageAt, storeImage } from './data/images/ImageSet.ts';
export type { ImageFolderOptions, ImageFolderSet } from './data/images/imageFolder.ts';
export { DEFAULT_IMAGE_FOLDER_OPTIONS, loadImageFolder } from './data/images/imageFolder.ts';
export type { GreyDigits } from './data/images/mnistDigits.ts';
export { loadIdxDigits, loadIdxDirectory, loadNpmMnistDigits } from './data/images/mnistDigits.ts';
export type { IdxArray, IdxType } from './data/images/readIdx.ts';
export { parseIdx, readIdx } from './data/images/readIdx.ts';
export { resizeBilinear } from './data/images/resizeBilinear.ts';
export type { PairBatch, PairBatchOptions } from './data/images/samplePairBatch.ts';
export { DEFAULT_PAIR_BATCH_OPTIONS, samplePairBatch } from './data/images/samplePairBatch.ts';

// 3D data: view pairs from shards or the live generator -> loss samples -> batches
export type { LossBatch } from './data/viewPairs/LossBatch.ts';
export { syntheticLossBatch } from './data/viewPairs/syntheticLossBatch.ts';
export type { PackedBatchLayout } from './data/viewPairs/packLossBatch.ts';
export { packLossBatch } from './data/viewPairs/packLossBatch.ts';
export type { ViewPairExample } from './data/viewPairs/sampleViewPair.ts';
export { sampleViewPair } from './data/viewPairs/sampleViewPair.ts';
export type { ViewPairSampleOptions } from './data/viewPairs/viewPairSampleOptions.ts';
export {
  DEFAULT_CROP,
  DEFAULT_VIEW_PAIR_SAMPLE_OPTIONS,
  validateViewPairSampleOptions,
} from './data/viewPairs/viewPairSampleOptions.ts';
export { batchExamples } from './data/viewPairs/batchExamples.ts';
export type { ShuffleOptions } from './data/viewPairs/shuffledSamples.ts';
export { DEFAULT_SHUFFLE_OPTIONS, shuffledSamples } from './data/viewPairs/shuffledSamples.ts';
export type { BatchSourceSpec, PairSource } from './data/viewPairs/BatchStream.ts';
export { BatchStream } from './data/viewPairs/BatchStream.ts';
export type { DatasetShardsOptions } from './data/viewPairs/datasetShards.ts';
export { datasetShards } from './data/viewPairs/datasetShards.ts';

// training runs: config, loop, checkpoints (TensorFlow.js format + safetensors)
export type { NonFinitePolicy, TrainConfig, TrainRunOptions, TrainSource } from './run/TrainConfig.ts';
export {
  DEFAULT_KEEP_EVERY,
  DEFAULT_MAX_NON_FINITE,
  DEFAULT_TRAIN_CONFIG,
  NON_FINITE_POLICIES,
} from './run/TrainConfig.ts';
export { fitDefaultCrop } from './run/fitCrop.ts';
export { viewSizeOf } from './run/viewSizeOf.ts';
export type { StepMetrics } from './run/StepMetrics.ts';
export type { TrainHooks, TrainSummary } from './run/runTraining.ts';
export { modelConfig, runTraining } from './run/runTraining.ts';
export { savedConfig } from './run/savedConfig.ts';
export type { Checkpoint } from './run/checkpoint.ts';
export {
  checkpointSteps,
  loadCheckpoint,
  loadLatestCheckpoint,
  readTfjsWeights,
  saveCheckpoint,
} from './run/checkpoint.ts';
export { decodeSafetensors, encodeSafetensors } from './run/safetensors.ts';
export type { BatchSource } from './data/openBatchSource.ts';
export { openBatchSource } from './data/openBatchSource.ts';
export { disposeTrainBatch, toTrainBatch } from './data/toTrainBatch.ts';
export { writeTrainingCurves } from './run/writeTrainingCurves.ts';
// the whole training step as one TensorFlow graph (train --graph)
export type { GraphStepSpec } from './graph/GraphTrainStep.ts';
export { GraphTrainStep } from './graph/GraphTrainStep.ts';
export { graphOxelObjective } from './graph/graphOxelObjective.ts';
export { canLoadTfGraph, loadTfGraph } from './graph/GraphBuilder.ts';
export type { LoadedRun } from './run/loadRun.ts';
export { loadRun } from './run/loadRun.ts';
export { describeImages } from './model/describeImages.ts';

// evaluation: correspondence benchmark (nearest neighbour over all of view B, median error, PCK)
export type { DescriptorMap, DescriptorMethod } from './eval/correspondence/descriptorMaps.ts';
export {
  modelDescriptors,
  patchDescriptors,
  RGB_METHOD,
  RGB_PATCH_METHOD,
  rgbDescriptors,
} from './eval/correspondence/descriptorMaps.ts';
export { nearestNeighbours } from './eval/correspondence/nearestNeighbours.ts';
export { pruningAxis } from './eval/probes/pruningAxis.ts';
export type {
  CorrespondenceMetrics,
  GroundTruthMatches,
} from './eval/correspondence/correspondenceBenchmark.ts';
export {
  correspondenceBenchmark,
  DEFAULT_PCK_THRESHOLDS,
  matchErrors,
  summarizeErrors,
} from './eval/correspondence/correspondenceBenchmark.ts';
export { selectMatches } from './eval/correspondence/selectMatches.ts';
export type {
  CorrespondenceEvalOptions,
  CorrespondenceEvaluation,
  CorrespondenceRow,
} from './eval/correspondence/evaluateCorrespondence.ts';
export {
  DEFAULT_CORRESPONDENCE_EVAL_OPTIONS,
  evaluateCorrespondence,
} from './eval/correspondence/evaluateCorrespondence.ts';
export type { CorrespondenceReport } from './eval/correspondence/correspondenceReport.ts';
export { correspondenceMarkdown } from './eval/correspondence/correspondenceReport.ts';
export { correspondenceCommand } from './cli/correspondenceCommand.ts';
export { planLine, runTrain } from './cli/trainCommand.ts';
export { DEFAULT_2D, trainProgram } from './cli/trainProgram.ts';

// evaluation: Colored MNIST (the paper's attention probe on frozen descriptors)
export type { AttentionProbeConfig } from './eval/probes/attentionProbe.ts';
export {
  AttentionProbe,
  attentionProbeShapes,
  DEFAULT_ATTENTION_PROBE_CONFIG,
} from './eval/probes/attentionProbe.ts';
export { linear } from './eval/probes/linear.ts';
export { pixelAttention } from './eval/probes/pixelAttention.ts';
export type { ProbeData, ProbeTrainOptions } from './eval/probes/trainProbe.ts';
export { DEFAULT_PROBE_TRAIN_OPTIONS, probeAccuracy, trainProbe } from './eval/probes/trainProbe.ts';
export type {
  ColoredMnistEvalOptions,
  ColoredMnistEvalResult,
} from './eval/coloredMnist/evalColoredMnist.ts';
export {
  DEFAULT_COLORED_MNIST_EVAL_OPTIONS,
  describeSplit,
  evalColoredMnist,
} from './eval/coloredMnist/evalColoredMnist.ts';
export type {
  ColoredMnistCell,
  ColoredMnistSweepResult,
  MeanStd,
} from './eval/coloredMnist/coloredMnistTable.ts';
export {
  coloredMnistMarkdown,
  PAPER_COLORED_MNIST,
  summarizeColoredMnistSweep,
} from './eval/coloredMnist/coloredMnistTable.ts';
export type { ColoredMnistReport } from './cli/coloredMnistCommand.ts';
export { coloredMnistCommand } from './cli/coloredMnistCommand.ts';
