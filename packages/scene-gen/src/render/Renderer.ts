import {
  ACESFilmicToneMapping,
  AgXToneMapping,
  NeutralToneMapping,
  NoToneMapping,
  type MeshBasicNodeMaterial,
  type ToneMapping as ThreeToneMapping,
  WebGPURenderer,
} from 'three/webgpu';
import { assert, SceneGenError } from '../errors.ts';
import { createDepthInstanceMaterial } from './depthInstanceMaterial.ts';
import { createViewTargets, disposeViewTargets, type ViewTargets } from './viewTargets.ts';
import { installNodeShims } from './installNodeShims.ts';

/** A Dawn backend: Vulkan for real GPUs, OpenGL ES (EGL, surfaceless) for Mesa llvmpipe on CPU-only machines. */
export type GpuBackend = 'vulkan' | 'opengles';

/** Tone mapping applied before sRGB encoding; names follow three.js (`ACESFilmicToneMapping`, ...). */
export type ToneMappingName = 'none' | 'aces' | 'agx' | 'neutral';

/** Options of `createRenderer`. */
export interface RendererOptions {
  /**
   * 'auto': Vulkan when Dawn finds a hardware GPU through it, else OpenGL ES over EGL (Mesa llvmpipe on a
   * machine without GPU; needs Debian libegl1 libegl-mesa0 libgl1-mesa-dri libegl-dev).
   */
  backend: 'auto' | GpuBackend;
  /** Tone mapping of linear radiance before sRGB encoding. */
  toneMapping: ToneMappingName;
  /** Multiplies linear radiance before tone mapping (three's `toneMappingExposure`; ignored with 'none'). */
  exposure: number;
}

/**
 * Defaults of `createRenderer`. Tone mapping 'aces' keeps mid-tones close to the albedo and rolls
 * highlights off instead of clipping them, which randomised light intensities need. Measured (matte
 * grey albedo lit to itself, sRGB 8-bit in -> out): none 60/100/150/200/255 -> 66/103/150/199/250
 * (clips above); aces -> 53/106/166/204/225; neutral -> 37/87/141/192/238 (crushes darks: its 0.04
 * offset); agx -> 73/114/152/180/200 (flat). Checked by eye on 640x480 renders of a lit room.
 */
export const DEFAULT_RENDERER_OPTIONS: Readonly<RendererOptions> = {
  backend: 'auto',
  toneMapping: 'aces',
  exposure: 1,
};

/** What Dawn reports about the adapter in use, for logs and the shard manifest. */
export interface AdapterSummary {
  backend: GpuBackend;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for CPU rasterisers (llvmpipe, lavapipe, SwiftShader). */
  software: boolean;
}

const TONE_MAPPINGS: Record<ToneMappingName, ThreeToneMapping> = {
  none: NoToneMapping,
  aces: ACESFilmicToneMapping,
  agx: AgXToneMapping,
  neutral: NeutralToneMapping,
};

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader/i;

/**
 * The headless renderer: owns one Dawn device and one three.js WebGPURenderer, plus the render targets
 * and materials that `renderView` reuses. Create it with `createRenderer`; call `dispose()` when done
 * (it destroys the device; Node does not exit cleanly before).
 */
export class Renderer {
  readonly three: WebGPURenderer;
  readonly device: GPUDevice;
  readonly adapter: AdapterSummary;
  readonly options: Readonly<RendererOptions>;
  /** Override material of the depth + instance-id pass (see `createDepthInstanceMaterial`). */
  readonly depthInstanceMaterial: MeshBasicNodeMaterial = createDepthInstanceMaterial();
  private readonly targets = new Map<string, ViewTargets>();
  private lostMessage: string | null = null;
  private disposed = false;

  /** Use `createRenderer`; this constructor only wires up an already initialised three renderer. */
  constructor(three: WebGPURenderer, device: GPUDevice, adapter: AdapterSummary, options: RendererOptions) {
    this.three = three;
    this.device = device;
    this.adapter = adapter;
    this.options = options;
    device.lost.then((info) => {
      if (info.reason !== 'destroyed') this.lostMessage = info.message;
    });
  }

  /**
   * The render targets for a view size, created on first use and kept until `dispose()`.
   * Throws when the renderer is disposed or its device was lost.
   */
  viewTargets(width: number, height: number): ViewTargets {
    this.assertUsable('Renderer.viewTargets');
    const key = `${width}x${height}`;
    let targets = this.targets.get(key);
    if (targets === undefined) {
      targets = createViewTargets(width, height);
      this.targets.set(key, targets);
    }
    return targets;
  }

  /** Throws SceneGenError('DISPOSED' or 'RENDER_FAILED') when the renderer cannot render any more. */
  assertUsable(fn: string): void {
    assert(!this.disposed, 'DISPOSED', () => `${fn}: the renderer was disposed`);
    assert(
      this.lostMessage === null,
      'RENDER_FAILED',
      () => `${fn}: the GPU device was lost (${this.lostMessage}); create a new renderer`,
    );
  }

  /** Releases the render targets, the three renderer and the Dawn device. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const targets of this.targets.values()) disposeViewTargets(targets);
    this.targets.clear();
    this.depthInstanceMaterial.dispose();
    await this.three.dispose();
    this.device.destroy();
  }
}

/**
 * Opens a Dawn device on the chosen backend and an initialised three.js WebGPURenderer on it.
 * Sets `EGL_PLATFORM=surfaceless` in `process.env` when unset (Dawn's OpenGL ES backend needs it to run
 * without an X server, and it must be set before Dawn loads), and installs the Node shims three needs.
 * Throws SceneGenError('GPU_UNAVAILABLE') when no adapter can be had.
 */
export async function createRenderer(options: Partial<RendererOptions> = {}): Promise<Renderer> {
  const opts: RendererOptions = { ...DEFAULT_RENDERER_OPTIONS, ...options };
  assert(
    opts.backend === 'auto' || opts.backend === 'vulkan' || opts.backend === 'opengles',
    'BAD_ARGUMENT',
    () => `createRenderer: unknown backend (got ${opts.backend}, expected auto, vulkan or opengles)`,
  );
  assert(
    Object.hasOwn(TONE_MAPPINGS, opts.toneMapping),
    'BAD_ARGUMENT',
    () =>
      `createRenderer: unknown toneMapping (got ${opts.toneMapping}, expected ${Object.keys(TONE_MAPPINGS).join(', ')})`,
  );
  assert(
    Number.isFinite(opts.exposure) && opts.exposure > 0,
    'BAD_ARGUMENT',
    () => `createRenderer: exposure must be finite and > 0 (got ${opts.exposure})`,
  );

  process.env.EGL_PLATFORM ??= 'surfaceless';
  // Loaded here, not at the top of the module, so that EGL_PLATFORM is in place before Dawn starts.
  const webgpu = await import('webgpu');
  const opened = await openAdapter(webgpu.create, opts.backend);
  installNodeShims(opened.gpu, webgpu.globals);

  const { adapter } = opened;
  // Request every optional feature the adapter has, as three does when it creates the device itself.
  const device = await adapter.requestDevice({ requiredFeatures: [...adapter.features] as GPUFeatureName[] });

  const three = new WebGPURenderer({
    device,
    // three sizes a canvas even when it only renders into render targets; a plain object stands in for
    // the DOM canvas it would otherwise create through `document`.
    canvas: { width: 1, height: 1, style: {} } as unknown as HTMLCanvasElement,
    antialias: false,
    alpha: true,
  });
  await three.init();
  // three falls back to its WebGL backend when WebGPU init fails; in Node that backend cannot work.
  if ((three.backend as { isWebGPUBackend?: boolean }).isWebGPUBackend !== true) {
    device.destroy();
    throw new SceneGenError(
      'GPU_UNAVAILABLE',
      'createRenderer: three.js did not start its WebGPU backend on Dawn',
    );
  }
  three.toneMapping = TONE_MAPPINGS[opts.toneMapping];
  three.toneMappingExposure = opts.exposure;
  three.setClearColor(0x000000, 0);
  return new Renderer(three, device, summarise(opened.backend, adapter), opts);
}

interface OpenedAdapter {
  backend: GpuBackend;
  gpu: GPU;
  adapter: GPUAdapter;
}

async function openAdapter(
  create: (flags: string[]) => GPU,
  backend: RendererOptions['backend'],
): Promise<OpenedAdapter> {
  if (backend === 'auto') {
    const vulkan = await tryAdapter(create, 'vulkan');
    if (vulkan !== null && !isSoftware(vulkan.adapter.info)) return vulkan;
  }
  const chosen: GpuBackend = backend === 'vulkan' ? 'vulkan' : 'opengles';
  const opened = await tryAdapter(create, chosen);
  if (opened === null) {
    const hint =
      chosen === 'opengles'
        ? 'install the Debian packages libegl1 libegl-mesa0 libgl1-mesa-dri libegl-dev (scripts/setup.sh does)'
        : "check the Vulkan driver (vulkaninfo), or use backend 'opengles'";
    throw new SceneGenError('GPU_UNAVAILABLE', `createRenderer: Dawn found no ${chosen} adapter; ${hint}`);
  }
  return opened;
}

async function tryAdapter(
  create: (flags: string[]) => GPU,
  backend: GpuBackend,
): Promise<OpenedAdapter | null> {
  const gpu = create([`backend=${backend}`]);
  // Dawn's OpenGL ES backend offers only WebGPU's compatibility feature level.
  const adapter = await gpu.requestAdapter(
    backend === 'opengles' ? { featureLevel: 'compatibility' } : { powerPreference: 'high-performance' },
  );
  return adapter === null ? null : { backend, gpu, adapter };
}

function isSoftware(info: GPUAdapterInfo): boolean {
  return SOFTWARE_ADAPTER.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`);
}

function summarise(backend: GpuBackend, adapter: GPUAdapter): AdapterSummary {
  const { vendor, architecture, device, description } = adapter.info;
  return { backend, vendor, architecture, device, description, software: isSoftware(adapter.info) };
}
