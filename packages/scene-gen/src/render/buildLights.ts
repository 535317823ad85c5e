import { Color, DirectionalLight, HemisphereLight, type Light, PointLight, type Scene } from 'three/webgpu';
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
  const lights = createLights(lighting);
  updateLights(lights, lighting);
  return lights;
}

/** Light objects of the right kinds and number for `lighting` (values set by `updateLights`). */
function createLights(lighting: Lighting): Light[] {
  return [
    new HemisphereLight(),
    ...lighting.directional.map(() => new DirectionalLight()),
    ...lighting.point.map(() => new PointLight(0xffffff, 0, 0, 2)),
  ];
}

/**
 * Sets the lights of a scene built by `buildThreeScene` to `lighting`, in place when it has the same
 * number of each kind (no new shader variants, no new objects: cheap between the pairs of a room),
 * else by replacing them.
 */
export function setSceneLighting(scene: Scene, lighting: Lighting): void {
  const current = scene.children.filter((c): c is Light => (c as Light).isLight === true);
  const kinds = (ls: Light[]) => ls.map((l) => l.type).join();
  let lights = current;
  if (kinds(current) !== kinds(createLights(lighting))) {
    for (const light of current) scene.remove(light);
    lights = createLights(lighting);
    for (const light of lights) scene.add(light);
  }
  updateLights(lights, lighting);
}

/** Writes colours, intensities, directions and positions of `lighting` into lights from `createLights`. */
function updateLights(lights: Light[], lighting: Lighting): void {
  const [hemisphereLight, ...rest] = lights as [HemisphereLight, ...Light[]];
  const { hemisphere } = lighting;
  hemisphereLight.color.copy(linearColor(hemisphere.sky));
  hemisphereLight.groundColor.copy(linearColor(hemisphere.ground));
  hemisphereLight.intensity = hemisphere.intensity;
  lighting.directional.forEach((d, k) => {
    const [x, y, z] = d.direction;
    const n = Math.hypot(x, y, z);
    assert(
      n > 0 && Number.isFinite(n),
      'BAD_ARGUMENT',
      () =>
        `buildLights: directional[${k}].direction must be a finite non-zero vector (got ${JSON.stringify(d.direction)})`,
    );
    const light = rest[k];
    light.color.copy(linearColor(d.color));
    light.intensity = d.intensity;
    // three aims a directional light from its position at its target (the origin): place it upstream.
    light.position.set(-x / n, -y / n, -z / n);
  });
  lighting.point.forEach((p, k) => {
    const light = rest[lighting.directional.length + k];
    light.color.copy(linearColor(p.color));
    light.intensity = p.intensity;
    light.position.set(p.position[0], p.position[1], p.position[2]);
  });
}

function linearColor(srgb: [number, number, number]): Color {
  const [r, g, b] = srgbToLinear3(srgb);
  return new Color(r, g, b);
}
