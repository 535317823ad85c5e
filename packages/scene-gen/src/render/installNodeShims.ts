/**
 * The few browser globals that three.js' WebGPURenderer reads, provided in Node over Dawn (npm `webgpu`).
 * Nothing here runs on import: `createRenderer` calls `installNodeShims` once it has a Dawn instance.
 *
 * Why each one is needed (three 0.187):
 * - Dawn's `globals` (`GPUBufferUsage`, `GPUMapMode`, `GPUTextureUsage`, ...): three reads these WebGPU
 *   constants from the global scope, e.g. in `WebGPUTextureUtils.copyTextureToBuffer` (the readback).
 * - `navigator.gpu`: three's WebGPU capability checks and `getPreferredCanvasFormat` look there; Node 20 has
 *   no `navigator` at all, Node >= 21 has one without `gpu`.
 * - `self`: three's animation loop (`renderers/common/Animation.js`) takes `self` as the object that owns
 *   `requestAnimationFrame`; without it, `Renderer.init` fails.
 * - `requestAnimationFrame` / `cancelAnimationFrame`: that loop ticks forever once the renderer is
 *   initialised. The shim's timers are unref'd so that a forgotten `dispose()` does not keep Node alive.
 */

/** Frame interval of the shimmed requestAnimationFrame, ms (about 60 Hz, as a browser would). */
const FRAME_INTERVAL_MS = 16;

/**
 * Installs the globals above. Idempotent; a later call replaces `navigator.gpu` with the newer instance.
 * Mutates `globalThis` (and `globalThis.navigator` when Node provides one).
 * @param gpu the Dawn instance from `create([...])` of npm `webgpu`
 * @param dawnGlobals the `globals` export of npm `webgpu` (WebGPU classes and constant enums)
 */
export function installNodeShims(gpu: GPU, dawnGlobals: object): void {
  const g = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(dawnGlobals)) {
    if (g[name] === undefined) g[name] = value;
  }

  const nav = g.navigator as Record<string, unknown> | undefined;
  if (nav === undefined) {
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu },
      configurable: true,
      writable: true,
    });
  } else {
    Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
  }

  if (g.self === undefined) g.self = globalThis;

  if (g.requestAnimationFrame === undefined) {
    g.requestAnimationFrame = (callback: (time: number) => void) =>
      setTimeout(() => callback(performance.now()), FRAME_INTERVAL_MS).unref();
    g.cancelAnimationFrame = (handle: ReturnType<typeof setTimeout> | undefined) => clearTimeout(handle);
  }
}
