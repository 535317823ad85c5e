import { type Camera, toThreeCamera, validateCamera } from '@oxels/raycast';
import { NO_INSTANCE } from '@oxels/core';
import { ColorManagement, type PerspectiveCamera, type Scene } from 'three/webgpu';
import { assert } from '../errors.ts';
import { rgbaToRgb } from './colorUtils.ts';
import { advanceAnimationFrame } from './installNodeShims.ts';
import type { Renderer } from './Renderer.ts';
import type { ViewTargets } from './viewTargets.ts';

/** Options of `renderView`. */
export interface RenderViewOptions {
  /** Near clipping distance in metres (z-depth); surfaces nearer than this are not drawn. */
  near: number;
  /** Far clipping distance in metres (z-depth). */
  far: number;
  /** Also return the z-depth layer (second pass, shared with `instances`). */
  depth: boolean;
  /** Also return the instance-id layer (second pass, shared with `depth`). */
  instances: boolean;
}

/** Defaults of `renderView`: colour only, near 0.01 m, far 100 m. */
export const DEFAULT_RENDER_VIEW_OPTIONS: Readonly<RenderViewOptions> = {
  near: 0.01,
  far: 100,
  depth: false,
  instances: false,
};

/** One rendered view. All layers are row-major, rows top-down, x to the right (pixel i = y * width + x). */
export interface RenderedView {
  width: number;
  height: number;
  /** [H, W, 3] uint8, sRGB-encoded after the renderer's tone mapping. */
  rgb: Uint8Array;
  /** [H, W] float32: z-depth -Xc.z in metres at the pixel centre (not the ray length); 0 = nothing hit. */
  depth?: Float32Array;
  /** [H, W] uint16: 0 = room, i = the SceneSpec's objects[i - 1], NO_INSTANCE (0xffff) = nothing hit. */
  instances?: Uint16Array;
}

/**
 * Renders `scene` (from `buildThreeScene`) as seen by `camera`, pixel-aligned with the camera model of
 * @oxels/raycast: one sample per pixel at its centre, no anti-aliasing, so colour, depth and instance ids
 * of a pixel all describe the surface its centre ray hits first.
 * The colour pass goes through three's output pass (tone mapping, then sRGB encoding); depth and instance
 * ids come from a second pass with an override material into a float target. All GPU work is submitted
 * before the first await, so concurrent calls on one renderer do not overwrite each other's targets.
 * Temporarily sets `scene.background` and `scene.overrideMaterial` (restored before returning).
 */
export async function renderView(
  renderer: Renderer,
  scene: Scene,
  camera: Camera,
  options: Partial<RenderViewOptions> = {},
): Promise<RenderedView> {
  const opts = { ...DEFAULT_RENDER_VIEW_OPTIONS, ...options };
  renderer.assertUsable('renderView');
  validateCamera(camera);
  assert(
    opts.near > 0 && opts.far > opts.near && Number.isFinite(opts.far),
    'BAD_ARGUMENT',
    () => `renderView: need 0 < near < far < infinity (got near=${opts.near}, far=${opts.far})`,
  );
  const { width, height } = camera;
  const maxSize = renderer.device.limits.maxTextureDimension2D;
  assert(
    width <= maxSize && height <= maxSize,
    'BAD_ARGUMENT',
    () => `renderView: image size ${width}x${height} exceeds this GPU's texture limit (${maxSize})`,
  );
  const threeCamera = toThreeCamera(camera, opts.near, opts.far);
  const targets = renderer.viewTargets(width, height);

  // three only logs GPU validation errors; capture them so that a broken frame throws instead of
  // coming back black. Error scopes are per device and LIFO: both are popped before the first await.
  const { device } = renderer;
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let passes: EncodedPasses;
  let scopes: Promise<GPUError | null>[];
  try {
    passes = encodePasses(renderer, scene, threeCamera, targets, opts.depth || opts.instances);
  } finally {
    scopes = [device.popErrorScope(), device.popErrorScope()];
  }
  const [errors, rgba, rg] = await Promise.all([Promise.all(scopes), passes.rgba, passes.depthInstance]);
  const error = errors[0] ?? errors[1];
  assert(error === null, 'RENDER_FAILED', () => `renderView: the GPU rejected the frame (${error?.message})`);

  const view: RenderedView = { width, height, rgb: rgbaToRgb(rgba as Uint8Array) };
  if (rg !== null) {
    if (opts.depth) view.depth = channel(rg as Float32Array, 0);
    if (opts.instances) view.instances = instanceIds(rg as Float32Array);
  }
  return view;
}

/** Readbacks in flight: RGBA8 colour and, when asked for, RG32F (z-depth, instance id). */
interface EncodedPasses {
  rgba: Promise<ArrayBufferView>;
  depthInstance: Promise<ArrayBufferView> | null;
}

/**
 * Encodes and submits the colour pass and, with `layers`, the depth + instance pass, plus their copies
 * to readback buffers; nothing is awaited, so the GPU work of one call is queued as a unit.
 */
function encodePasses(
  renderer: Renderer,
  scene: Scene,
  camera: PerspectiveCamera,
  targets: ViewTargets,
  layers: boolean,
): EncodedPasses {
  const { three } = renderer;
  const { width, height } = targets;
  advanceAnimationFrame(); // this view's lights, not the previous pair's (installNodeShims.ts)
  three.setRenderTarget(null);
  three.setOutputRenderTarget(targets.color);
  // three's output pass compiles its linear -> sRGB step to a no-op while ColorManagement is disabled
  // (loaders switch it off to read PLY colours raw): keep it on while this pass is built and drawn.
  const colorManagement = ColorManagement.enabled;
  ColorManagement.enabled = true;
  try {
    three.render(scene, camera);
  } finally {
    ColorManagement.enabled = colorManagement;
    three.setOutputRenderTarget(null);
  }
  const rgba = three.readRenderTargetPixelsAsync(targets.color, 0, 0, width, height);
  if (!layers) return { rgba, depthInstance: null };

  const { background, overrideMaterial } = scene;
  scene.background = null; // the clear colour (0, 0, 0, 0) then marks "nothing hit"
  scene.overrideMaterial = renderer.depthInstanceMaterial;
  three.setRenderTarget(targets.depthInstance);
  try {
    three.render(scene, camera);
  } finally {
    scene.background = background;
    scene.overrideMaterial = overrideMaterial;
    three.setRenderTarget(null);
  }
  return {
    rgba,
    depthInstance: three.readRenderTargetPixelsAsync(targets.depthInstance, 0, 0, width, height),
  };
}

/** Channel c of tightly packed two-channel float pixels. */
function channel(rg: Float32Array, c: number): Float32Array {
  const out = new Float32Array(rg.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = rg[2 * i + c];
  return out;
}

/** Instance ids from (depth, id) pixels, NO_INSTANCE where depth is 0 (the clear value: nothing drawn). */
function instanceIds(rg: Float32Array): Uint16Array {
  const out = new Uint16Array(rg.length >> 1);
  // Ids are small integers, exact in float32; rounding only guards against driver dithering.
  for (let i = 0; i < out.length; i++) out[i] = rg[2 * i] > 0 ? Math.round(rg[2 * i + 1]) : NO_INSTANCE;
  return out;
}
