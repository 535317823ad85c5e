/** What Dawn reports about the adapter it would train on. */
export interface GpuAdapterDescription {
  /** Human-readable: vendor, device and architecture as Dawn reports them. */
  description: string;
  /** True for CPU rasterisers (SwiftShader, llvmpipe, lavapipe) and fallback adapters. */
  software: boolean;
  /**
   * Installs `navigator.gpu` and Dawn's WebGPU globals on `globalThis`: tfjs-backend-webgpu registers
   * itself only if `navigator.gpu` exists at the moment it is imported (DESIGN.md field notes), so
   * call this before importing it. Idempotent.
   */
  install(): void;
}

/** Substrings of adapter names that mark a CPU implementation of WebGPU (slower than tfjs-wasm). */
const SOFTWARE_ADAPTER_NAMES = ['swiftshader', 'llvmpipe', 'lavapipe', 'softpipe'];

/**
 * Asks Dawn (npm `webgpu`) for a high-performance adapter. Reuses `navigator.gpu` when something
 * (e.g. the renderer) installed one already. Mutates nothing until `install()` is called.
 * @returns the adapter's description, or null when Dawn offers none (no GPU, no Vulkan driver)
 */
export async function findGpuAdapter(): Promise<GpuAdapterDescription | null> {
  const { create, globals } = await import('webgpu');
  const g = globalThis as Record<string, unknown>;
  const existing = (g.navigator as { gpu?: GPU } | undefined)?.gpu;
  const gpu = existing ?? create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
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
