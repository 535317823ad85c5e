// @oxels/scene-gen/live: what the trainer needs to train on pairs generated while it trains. This
// entry point loads neither three.js nor Dawn: the generator runs in child processes of its own, so a
// trainer reading shards never pays for the renderer, and one training live pays for it there.
export { DEFAULT_ASSET_CACHE_DIR } from './constants.ts';
export type { GenerateConfig } from './generate/GenerateConfig.ts';
export { DEFAULT_GENERATE_CONFIG } from './generate/GenerateConfig.ts';
export type { LivePairsOptions } from './generate/livePairs.ts';
export { livePairs } from './generate/livePairs.ts';
