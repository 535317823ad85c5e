// What this machine offers the GPU steps of scripts/device/run.sh: the Node version, the adapter the
// trainer's webgpu backend would train on (hardware only, as `--backend webgpu` and the benchmarks
// take it; else the software one the agreement check may use), and the adapter gen-scenes' renderer
// gets on Dawn's Vulkan backend. Writes one JSON object to --out and prints a line per adapter.
//   node --import tsx scripts/device/gpuProbe.ts --out FILE
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { initBackend } from '@oxels/trainer';
import { createRenderer } from '@oxels/scene-gen';
import { scriptArgs } from '../scriptArgs.ts';

const values = scriptArgs(import.meta.filename, { out: { type: 'string' } });
if (!values.out) {
  console.error('gpuProbe: --out FILE is required');
  process.exit(2);
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The renderer's adapter on Vulkan (software ones included: the summary says which). */
async function rendererAdapter(): Promise<Record<string, unknown>> {
  try {
    const renderer = await createRenderer({ backend: 'vulkan' });
    const adapter = renderer.adapter;
    await renderer.dispose();
    return { ...adapter };
  } catch (e) {
    return { error: message(e) };
  }
}

/**
 * The training adapter, asked the way the trainer asks: initBackend('webgpu') refuses software
 * adapters, and with allowSoftwareGpu takes one (Dawn's OpenGL ES backend on llvmpipe, on machines
 * without a GPU). Its device line is `WebGPU on <vendor device architecture (backend)>`.
 */
async function trainingAdapter(): Promise<Record<string, unknown>> {
  try {
    const info = await initBackend('webgpu');
    return { hardware: true, description: info.device };
  } catch (hardwareError) {
    try {
      const info = await initBackend('webgpu', { allowSoftwareGpu: true });
      return { hardware: false, description: info.device, why: message(hardwareError) };
    } catch (e) {
      return { hardware: false, description: null, why: message(e) };
    }
  }
}

const renderer = await rendererAdapter();
const training = await trainingAdapter();
const result = {
  node: process.version,
  cpu: cpus()[0]?.model,
  cores: availableParallelism(),
  training,
  renderer,
  rendererHardware: renderer.error === undefined && renderer.software === false,
};
writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`node ${process.version}, ${result.cores} cores (${result.cpu})`);
console.log(
  training.hardware
    ? `training adapter: ${training.description} (hardware)`
    : `training adapter: no hardware GPU adapter; ${training.description ? `software only: ${training.description}` : `none: ${training.why}`}`,
);
console.log(
  renderer.error === undefined
    ? `renderer adapter (Vulkan): ${renderer.description || renderer.device} (${renderer.software ? 'software' : 'hardware'})`
    : `renderer adapter (Vulkan): none: ${renderer.error}`,
);
// tfjs-webgpu keeps a Dawn device open, which would keep the process alive.
process.exit(0);
