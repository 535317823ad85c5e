// @oxels/scene-gen/cli: flag parsers shared by the command-line tools of oxels.
export { intFlag, numberFlag, sizeFlag } from './flagParsers.ts';
