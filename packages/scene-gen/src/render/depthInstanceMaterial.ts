import { float, positionView, userData, vec4 } from 'three/tsl';
import { DoubleSide, MeshBasicNodeMaterial, type Node, NoBlending } from 'three/webgpu';

/** Name of the `Object3D.userData` entry that holds a mesh's instance id (0 = room, i = i-th placed object). */
export const INSTANCE_ID_KEY = 'instanceId';

/**
 * The override material of `renderView`'s second pass: writes (z-depth, instance id, 0, 1) per pixel.
 * z-depth is -Xc.z in metres, interpolated perspective-correctly from the vertices, so it is exact (to
 * float32) at the pixel centre where the rasteriser samples; the instance id comes from each mesh's
 * `userData.instanceId`, read per draw, so one material (one shader) serves every object.
 * Double-sided like the colour materials, so both passes see the same surfaces. No blending: the target
 * (RG32F) has no alpha channel, and Dawn rejects a blend state that reads one.
 */
export function createDepthInstanceMaterial(): MeshBasicNodeMaterial {
  const material = new MeshBasicNodeMaterial({ side: DoubleSide, blending: NoBlending });
  // @types/three types userData() as an untyped ReferenceNode; with inputType 'float' it is a float node.
  const instanceId = userData(INSTANCE_ID_KEY, 'float') as unknown as Node<'float'>;
  material.fragmentNode = vec4(positionView.z.negate(), instanceId, float(0), float(1));
  return material;
}
