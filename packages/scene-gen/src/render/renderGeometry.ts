import { BufferAttribute, BufferGeometry } from 'three/webgpu';
import { srgbToLinear } from './colorUtils.ts';

/**
 * The geometry to draw for an asset part. When nothing needs changing it is the asset's own geometry;
 * otherwise a new BufferGeometry that shares the unchanged attributes (and so their GPU buffers) with it:
 * - a `color` attribute (sRGB in the asset contract) becomes linear float32 RGB, since three multiplies
 *   vertex colours in linear space and never converts them;
 * - missing normals are computed (smooth for indexed meshes, flat otherwise), since lit materials need them.
 * The asset's geometry is never modified.
 * @param useVertexColors whether the material asks for vertex colours (else `color` is left as it is, unused)
 */
export function toRenderGeometry(geometry: BufferGeometry, useVertexColors: boolean): BufferGeometry {
  const color = geometry.getAttribute('color');
  const hasNormals = geometry.getAttribute('normal') !== undefined;
  const convertColors = useVertexColors && color !== undefined;
  if (hasNormals && !convertColors) return geometry;

  // Not geometry.clone(): that deep-copies every attribute, and shared attributes share GPU buffers.
  const out = new BufferGeometry();
  for (const name of Object.keys(geometry.attributes)) out.setAttribute(name, geometry.getAttribute(name));
  if (geometry.index !== null) out.setIndex(geometry.index);
  for (const group of geometry.groups) out.addGroup(group.start, group.count, group.materialIndex);
  if (convertColors) out.setAttribute('color', linearColors(color));
  if (!hasNormals) out.computeVertexNormals();
  return out;
}

/** sRGB vertex colours (any item size >= 3, normalised integers allowed) -> linear float32 RGB. */
function linearColors(color: BufferGeometry['attributes'][string]): BufferAttribute {
  const n = color.count;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = srgbToLinear(color.getX(i));
    out[i * 3 + 1] = srgbToLinear(color.getY(i));
    out[i * 3 + 2] = srgbToLinear(color.getZ(i));
  }
  return new BufferAttribute(out, 3);
}
