#!/usr/bin/env -S npx tsx
// train: learn per-pixel descriptors with the stable single-pixel contrastive loss (pnpm train --help).
import { runTrain } from '@oxels/trainer';

process.exitCode = await runTrain(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
