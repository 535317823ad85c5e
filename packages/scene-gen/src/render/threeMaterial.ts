import {
  DataTexture,
  DoubleSide,
  LinearFilter,
  LinearMipmapLinearFilter,
  MeshStandardMaterial,
  RepeatWrapping,
  RGBAFormat,
  SRGBColorSpace,
  UnsignedByteType,
} from 'three/webgpu';
import type { AssetMaterial, ImageRGBA } from '../assets/Asset.ts';
import { srgbToLinear3 } from './colorUtils.ts';

/**
 * The three.js material for an asset material: MeshStandardMaterial, non-metallic, double-sided
 * (ShapeNet meshes have flipped and duplicated faces), colour converted from sRGB to linear by hand
 * (independent of `ColorManagement.enabled`), with the texture map when there is one.
 * @param material the asset's material (its `roughness` already follows three: 1 = matte, 0 = mirror)
 * @param vertexColors whether the geometry drawn with it has a linear `color` attribute to multiply in
 * @param map the texture made by `toThreeTexture(material.map)`, shared between parts
 */
export function toThreeMaterial(
  material: AssetMaterial,
  vertexColors: boolean,
  map: DataTexture | null,
): MeshStandardMaterial {
  const [r, g, b] = srgbToLinear3(material.color);
  const three = new MeshStandardMaterial({
    name: material.name,
    side: DoubleSide,
    metalness: 0,
    roughness: clamp01(material.roughness),
    vertexColors,
    map,
  });
  // setRGB with three's working colour space is a plain assignment: the values are linear already.
  three.color.setRGB(r, g, b);
  return three;
}

/**
 * A GPU texture for a decoded RGBA8 image: sRGB colour space (the GPU decodes to linear when sampling),
 * repeat wrapping (OBJ texture coordinates often leave [0, 1]), trilinear mipmaps.
 * The image's rows are top-down while texture coordinate v = 0 is the image's bottom (OBJ/OpenGL), and
 * three uploads row 0 at v = 0: the rows are flipped into a new buffer; `image` is not modified.
 */
export function toThreeTexture(image: ImageRGBA): DataTexture {
  const { width, height, data } = image;
  const rowBytes = width * 4;
  const flipped = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    flipped.set(data.subarray(y * rowBytes, (y + 1) * rowBytes), (height - 1 - y) * rowBytes);
  }
  const texture = new DataTexture(flipped, width, height, RGBAFormat, UnsignedByteType);
  texture.colorSpace = SRGBColorSpace;
  texture.wrapS = RepeatWrapping;
  texture.wrapT = RepeatWrapping;
  texture.magFilter = LinearFilter;
  texture.minFilter = LinearMipmapLinearFilter;
  texture.generateMipmaps = true;
  texture.needsUpdate = true;
  return texture;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
