/** What Dawn reports about the adapter it would train on. */
export interface GpuAdapterDescription {
  /** Human-readable: vendor, device and architecture as Dawn reports them, and Dawn's backend. */
  description: string;
  /** True for CPU rasterisers (SwiftShader, llvmpipe, lavapipe) and fallback adapters. */
  software: boolean;
  /**
   * Installs `navigator.gpu` and Dawn's WebGPU globals on `globalThis`: tfjs-backend-webgpu registers
   * itself only if `navigator.gpu` exists at the moment it is imported (4.22's `dist/base.js` checks at
   * module load), so call this before importing it. Idempotent.
   */
  install(): void;
}

/** Substrings of adapter names that mark a CPU implementation of WebGPU (slower than tfjs-wasm). */
const SOFTWARE_ADAPTER_NAMES = ['swiftshader', 'llvmpipe', 'lavapipe', 'softpipe'];

/**
 * Asks Dawn (npm `webgpu`) for a high-performance adapter. Reuses `navigator.gpu` when something
 * (e.g. the renderer) installed one already. Mutates nothing until `install()` is called.
 *
 * With `allowSoftware`, and no adapter from Dawn's default backends, it falls back to Dawn's OpenGL ES
 * backend on Mesa's llvmpipe (EGL, no display): a CPU rasteriser that offers only WebGPU's
 * compatibility feature level, but runs tfjs-webgpu's compute shaders. That is what lets the webgpu
 * training step be tested on machines without a GPU. (Debian 12's lavapipe, Mesa 22.3, is refused by
 * Dawn's Vulkan backend: it lacks shaderUniform*ArrayDynamicIndexing.)
 * @returns the adapter's description, or null when Dawn offers none (no GPU, no Vulkan driver)
 */
export async function findGpuAdapter(
  options: { allowSoftware?: boolean } = {},
): Promise<GpuAdapterDescription | null> {
  // Dawn reads EGL_PLATFORM when it loads: surfaceless EGL needs no X server (as the renderer does).
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const { create, globals } = await import('webgpu');
  const g = globalThis as Record<string, unknown>;
  const existing = (g.navigator as { gpu?: GPU } | undefined)?.gpu;
  let gpu = existing ?? create([]);
  let adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter && options.allowSoftware && !existing) {
    const gles = create(['backend=opengles']);
    adapter = await gles.requestAdapter({ featureLevel: 'compatibility' });
    // tfjs-backend-webgpu asks navigator.gpu for an adapter without a feature level, which the
    // OpenGL ES backend answers with null: hand it this one.
    if (adapter) gpu = compatibilityGpu(gles);
  }
  if (!adapter) return null;
  const info = adapter.info as GPUAdapterInfo & { adapterType?: string; backendType?: string };
  const fields = [info.vendor, info.device, info.architecture, info.description].filter(
    (s) => s && s.length > 0,
  );
  const description = [...new Set(fields)].join(' ') || 'unknown GPU';
  const lower = description.toLowerCase();
  const software =
    (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    info.adapterType?.toLowerCase() === 'cpu' ||
    SOFTWARE_ADAPTER_NAMES.some((name) => lower.includes(name));
  const install = (): void => {
    for (const [name, value] of Object.entries(globals)) if (g[name] === undefined) g[name] = value;
    if (g.navigator === undefined) {
      // Node 20 has no navigator at all; Node >= 21 has one without `gpu`.
      Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    } else if ((g.navigator as { gpu?: GPU }).gpu !== gpu) {
      Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
    }
  };
  const backend = info.backendType ? ` (${info.backendType})` : '';
  return { description: `${description}${backend}`, software, install };
}

/** `gpu` whose requestAdapter always asks for WebGPU's compatibility feature level. */
function compatibilityGpu(gpu: GPU): GPU {
  return {
    requestAdapter: (options?: GPURequestAdapterOptions) =>
      gpu.requestAdapter({ ...options, featureLevel: 'compatibility' }),
    getPreferredCanvasFormat: () => gpu.getPreferredCanvasFormat(),
    get wgslLanguageFeatures() {
      return gpu.wgslLanguageFeatures;
    },
  } as GPU;
}
