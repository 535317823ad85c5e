// @oxels/scene-gen/cli: flag parsers and the progress bar shared by the command-line tools of oxels.
export { countFlag, intFlag, numberFlag, rangeFlag, sizeFlag } from './flagParsers.ts';
export type { BarWithMessages } from './progressBar.ts';
export { barWithMessages, formatDuration, progressBar } from './progressBar.ts';
