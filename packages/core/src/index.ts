// @oxels/core: what every other package stands on. Seeded randomness, the error base class, atomic
// JSON files, command-line helpers, worker start-up, and the correspondence status codes shared by
// the ray caster that writes them and the readers that check them. No three.js, no tensors.

// errors
export type { Assert } from './errors.ts';
export { assertFor, FileWriteError, OxelsError, systemErrorText } from './errors.ts';

// randomness (seeded, reproducible across machines)
export type { Rng } from './random.ts';
export { createRng, sampleWithoutReplacement } from './random.ts';
export { deriveSeed } from './seeds.ts';

// files
export { writeJsonAtomic } from './writeJsonAtomic.ts';

// correspondence map status codes (docs/architecture.md#status-codes)
export { CorrespondenceStatus, NO_INSTANCE } from './correspondenceStatus.ts';

// command line
export { optionName, withFlags } from './cli/optionNames.ts';
export { countFlag, intFlag, numberFlag, rangeFlag, sizeFlag } from './cli/flagParsers.ts';
export type { BarWithMessages } from './cli/progressBar.ts';
export { barWithMessages, formatDuration, progressBar } from './cli/progressBar.ts';
export type { CliIO, RunCliOptions } from './cli/runCli.ts';
export { captureCommander, EXIT, errorLine, runCli } from './cli/runCli.ts';

// workers (TypeScript modules in worker threads and child processes)
export { AsyncQueue } from './worker/AsyncQueue.ts';
export { startModuleProcess, startModuleWorker } from './worker/startModuleWorker.ts';
