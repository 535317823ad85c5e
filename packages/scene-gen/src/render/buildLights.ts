import { Color, DirectionalLight, HemisphereLight, type Light, PointLight } from 'three/webgpu';
import type { Lighting } from '../scene/SceneSpec.ts';
import { assert } from '../errors.ts';
import { srgbToLinear3 } from './colorUtils.ts';

/**
 * three.js lights for a SceneSpec's lighting. Colours are sRGB in the spec and converted to linear here.
 * Intensities are three's physically based units: a directional light of intensity pi lights a white
 * matte surface facing it to white (three's Lambert term is albedo / pi); point lights fall off with the
 * inverse square of the distance (decay 2, no range cut-off), so intensity I gives I / d^2 at d metres.
 * `directional[k].direction` is the direction the light travels (from the light into the scene), world
 * frame, any length > 0. The hemisphere light's sky colour comes from +Y.
 */
export function buildLights(lighting: Lighting): Light[] {
  const { hemisphere } = lighting;
  const lights: Light[] = [
    new HemisphereLight(linearColor(hemisphere.sky), linearColor(hemisphere.ground), hemisphere.intensity),
  ];
  lighting.directional.forEach((d, k) => {
    const [x, y, z] = d.direction;
    const n = Math.hypot(x, y, z);
    assert(
      n > 0 && Number.isFinite(n),
      'BAD_ARGUMENT',
      () =>
        `buildLights: directional[${k}].direction must be a finite non-zero vector (got ${JSON.stringify(d.direction)})`,
    );
    const light = new DirectionalLight(linearColor(d.color), d.intensity);
    // three aims a directional light from its position at its target (the origin): place it upstream.
    light.position.set(-x / n, -y / n, -z / n);
    lights.push(light);
  });
  for (const p of lighting.point) {
    const light = new PointLight(linearColor(p.color), p.intensity, 0, 2);
    light.position.set(p.position[0], p.position[1], p.position[2]);
    lights.push(light);
  }
  return lights;
}

function linearColor(srgb: [number, number, number]): Color {
  const [r, g, b] = srgbToLinear3(srgb);
  return new Color(r, g, b);
}
