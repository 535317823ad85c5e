#!/usr/bin/env -S npx tsx
// inspect: correspondence overlays of a dataset's view pairs (see runInspect).
import { runInspect } from '@oxels/inspect';

const io = { out: (t: string) => process.stdout.write(t), err: (t: string) => process.stderr.write(t) };
process.exitCode = await runInspect(process.argv.slice(2), io);
