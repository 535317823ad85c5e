// Prints the backend `pnpm train` would train on here, with its version and thread count, e.g.
// `train backend: tensorflow (TensorFlow 2.21.0 (tfjs-node 4.22.0), 2 threads); each oxel step one
// TensorFlow graph` (the last part where the whole-step graph's addon is built).
//   npx tsx scripts/train-backend.ts [--backend auto|tensorflow|webgpu|wasm|cpu] [--threads N]
import { scriptArgs } from './scriptArgs.ts';
import { type BackendName, canLoadTfGraph, initBackend } from '@oxels/trainer';

const values = scriptArgs(import.meta.filename, {
  backend: { type: 'string', default: 'auto' },
  threads: { type: 'string', default: '0' },
});
try {
  const info = await initBackend(values.backend as BackendName, { threads: Number(values.threads) });
  const graph = info.backend === 'tensorflow' && canLoadTfGraph();
  console.log(
    `train backend: ${info.backend} (${info.device})${graph ? '; each oxel step one TensorFlow graph' : ''}`,
  );
} catch (e) {
  console.error(`train backend: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
