// @oxels/scene-gen/cli: flag parsers shared by the command-line tools of oxels.
export { countFlag, intFlag, numberFlag, rangeFlag, sizeFlag } from './flagParsers.ts';
