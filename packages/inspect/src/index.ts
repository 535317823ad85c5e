// @oxels/inspect: correspondence overlays, descriptor pictures, the browser viewer, CLI inspect / view.

// pictures (pure: typed arrays in, RgbImage of @oxels/image out)
export { spreadSample } from './pictures/spreadSample.ts';
export type {
  CorrespondenceOverlay,
  OverlayLayout,
  OverlayOptions,
} from './pictures/drawCorrespondenceOverlay.ts';
export {
  DEFAULT_OVERLAY_OPTIONS,
  drawCorrespondenceOverlay,
  overlayLayout,
} from './pictures/drawCorrespondenceOverlay.ts';
export type { DescriptorMap } from './pictures/DescriptorMap.ts';
export { descriptorAt, descriptorMap } from './pictures/DescriptorMap.ts';
export type { SymmetricEigen } from './pictures/symmetricEigen.ts';
export { symmetricEigen } from './pictures/symmetricEigen.ts';
export type { PcaBasis, PcaOptions } from './pictures/pcaToRgb.ts';
export { DEFAULT_PCA_OPTIONS, fitPca, pcaToRgb } from './pictures/pcaToRgb.ts';
export type { SignMapsOptions } from './pictures/signMaps.ts';
export { DEFAULT_SIGN_MAPS_OPTIONS, signMaps } from './pictures/signMaps.ts';
export type { DescriptorNorm, DistanceHeatmap, DistanceHeatmapOptions } from './pictures/distanceHeatmap.ts';
export { DEFAULT_DISTANCE_HEATMAP_OPTIONS, distanceHeatmap } from './pictures/distanceHeatmap.ts';
export type { PcaPairOptions } from './pictures/pcaPairPicture.ts';
export { DEFAULT_PCA_PAIR_OPTIONS, pcaPairPicture } from './pictures/pcaPairPicture.ts';
export type { HeatmapQuery, MatchHeatmapRow, MatchHeatmapsOptions } from './pictures/matchHeatmaps.ts';
export { DEFAULT_MATCH_HEATMAPS_OPTIONS, matchHeatmaps } from './pictures/matchHeatmaps.ts';

// trained runs: descriptors of view pairs through a run's network (inspect --run, view --run)
export type { InspectPair } from './pictures/InspectPair.ts';
export { samplePair, warpedPair } from './pictures/InspectPair.ts';
export { describeViews, runDescriptorSource } from './viewer/runDescriptors.ts';

// errors and constants
export { InspectError } from './errors.ts';
export type { InspectErrorCode } from './errors.ts';
export {
  DEFAULT_INSPECT_COUNT,
  DEFAULT_VIEWER_PORT,
  LEGEND_COLOURS,
  STATUS_MARKER_COLOURS,
  STATUS_NAMES,
} from './constants.ts';

// command lines (bin/inspect.ts, bin/view.ts)
export { runInspect } from './cli/runInspect.ts';
export type { InspectRunFlags } from './cli/inspectRun.ts';
export { inspectRun } from './cli/inspectRun.ts';
export { runView } from './cli/runView.ts';

// viewer (node:http server of the page in viewer/page/ and its JSON/PNG API)
export type { ViewerOptions, ViewerServer } from './viewer/startViewer.ts';
export { DEFAULT_VIEWER_OPTIONS, startViewer } from './viewer/startViewer.ts';
export type { DescriptorSource } from './viewer/DescriptorSource.ts';
export { colourDescriptors } from './viewer/DescriptorSource.ts';
export type { ErrorPayload, PairListPayload, PairPayload } from './viewer/pairPayload.ts';
export { pairPayload } from './viewer/pairPayload.ts';
