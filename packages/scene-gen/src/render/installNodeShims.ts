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
 * - `requestAnimationFrame` / `cancelAnimationFrame`: that loop runs once per animation frame, and each
 *   frame refreshes the node uniforms three updates per frame (the lights among them). Here a frame is
 *   not a 16 ms timer but `advanceAnimationFrame()`, called before each view is drawn: with a timer, a
 *   pair drawn within 16 ms of the previous one was lit with the previous pair's lights, and shards of
 *   the same seed differed from run to run. Nothing is scheduled, so nothing keeps Node alive.
 */

/** The animation-frame callbacks waiting for the next frame (one per renderer's loop). */
const pendingFrames = new Map<number, (time: number) => void>();
let nextHandle = 1;
let frame = 0;

/** Starts one animation frame: runs the callbacks requested since the last one (each asks again). */
export function advanceAnimationFrame(): void {
  const callbacks = [...pendingFrames.values()];
  pendingFrames.clear();
  frame += 1;
  // The time stamp only feeds user animation loops (none here); a frame count keeps it reproducible.
  for (const callback of callbacks) callback(frame * (1000 / 60));
}

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
    g.requestAnimationFrame = (callback: (time: number) => void) => {
      const handle = nextHandle++;
      pendingFrames.set(handle, callback);
      return handle;
    };
    g.cancelAnimationFrame = (handle: number) => pendingFrames.delete(handle);
  }
}
