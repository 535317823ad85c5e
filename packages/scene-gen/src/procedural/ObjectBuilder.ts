import type { Rng } from '@oxels/core';
import { MeshBuilder, type RGB } from './MeshBuilder.ts';
import { decorTexture, fabricTexture, labelTexture, type TextureFile, woodTexture } from './textures.ts';

/** An MTL material of a procedural object. */
export interface ObjMaterialSpec {
  name: string;
  kd: RGB;
  ks: RGB;
  ns: number;
  /** File name of its diffuse texture in the model's `images/` folder. */
  texture?: string;
}

/** Texture kinds an object material can ask for. */
export type TextureKind = 'wood' | 'fabric' | 'label' | 'decor';

/**
 * A procedural object being built: a mesh whose triangle groups are material names, and the
 * materials and texture files those names stand for. Built in metres, +Y up, front -Z, standing
 * on y = 0; normalizeShapeNet then turns it into ShapeNet's frame.
 */
export class ObjectBuilder {
  readonly mesh = new MeshBuilder();
  readonly materials: ObjMaterialSpec[] = [];
  readonly textures: TextureFile[] = [];

  constructor(private readonly rng: Rng) {}

  /**
   * Registers a material and returns its name (the triangle group to build with).
   * @param shiny 0 = matte (no Ks), 1 = glossy (Ks 0.5, Ns 250)
   */
  material(name: string, kd: RGB, shiny: number, texture?: TextureKind): string {
    const spec: ObjMaterialSpec = {
      name,
      kd,
      ks: [0.5 * shiny, 0.5 * shiny, 0.5 * shiny],
      ns: Math.round(10 + 240 * shiny),
    };
    if (texture) {
      const file = `texture${this.textures.length}.${texture === 'fabric' ? 'jpg' : 'png'}`;
      const make = { wood: woodTexture, fabric: fabricTexture, label: labelTexture, decor: decorTexture }[
        texture
      ];
      this.textures.push(make(this.rng, file));
      spec.texture = file;
    }
    this.materials.push(spec);
    return name;
  }
}

/**
 * Puts a mesh in ShapeNetCore v2's normalised frame: uniformly scaled so that its bounding-box
 * diagonal is 1, and translated so that the mean of its vertices is the origin (so the box is
 * not centred, as in ShapeNet). Axes are kept (+Y up, front -Z).
 */
export function normalizeShapeNet(mesh: MeshBuilder): void {
  const { min, max } = mesh.bounds();
  const s = 1 / Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  const mean = [0, 0, 0];
  const n = mesh.vertexCount;
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) mean[c] += mesh.positions[3 * i + c] / n;
  mesh.mapPositions(([x, y, z]) => [(x - mean[0]) * s, (y - mean[1]) * s, (z - mean[2]) * s]);
}
