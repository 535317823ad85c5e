import { FloatType, RenderTarget, RGFormat, UnsignedByteType } from 'three/webgpu';

/** The render targets `renderView` draws one view size into. */
export interface ViewTargets {
  width: number;
  height: number;
  /**
   * RGBA8, written by three's output pass (tone mapping + sRGB encoding of its internal half-float
   * framebuffer), so the bytes read back are already sRGB. No depth buffer: the internal target has it.
   */
  color: RenderTarget;
  /** RG32F with a depth buffer: R = z-depth -Xc.z in metres, G = instance id; cleared to 0 (= nothing). */
  depthInstance: RenderTarget;
}

/** Allocates (lazily, on first render) the targets for a width x height view. */
export function createViewTargets(width: number, height: number): ViewTargets {
  const color = new RenderTarget(width, height, {
    type: UnsignedByteType,
    depthBuffer: false,
    generateMipmaps: false,
  });
  const depthInstance = new RenderTarget(width, height, {
    type: FloatType,
    format: RGFormat,
    depthBuffer: true,
    generateMipmaps: false,
  });
  return { width, height, color, depthInstance };
}

/** Frees the GPU memory of the targets. */
export function disposeViewTargets(targets: ViewTargets): void {
  targets.color.dispose();
  targets.depthInstance.dispose();
}
