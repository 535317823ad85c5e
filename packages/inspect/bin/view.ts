#!/usr/bin/env -S npx tsx
// view: the browser viewer of a dataset (see runView); runs until Ctrl-C.
import { runView } from '@oxels/inspect';

const io = { out: (t: string) => process.stdout.write(t), err: (t: string) => process.stderr.write(t) };
const { code, server } = await runView(process.argv.slice(2), io);
if (server) {
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} else {
  process.exitCode = code;
}
