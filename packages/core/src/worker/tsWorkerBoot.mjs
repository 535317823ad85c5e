// Worker bootstrap: oxels runs from TypeScript sources, and Node 20's worker threads do not inherit
// the parent's tsx loader hooks, so each worker registers tsx itself before importing its entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
