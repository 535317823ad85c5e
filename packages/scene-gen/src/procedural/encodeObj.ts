import type { MeshBuilder } from './MeshBuilder.ts';
import type { ObjMaterialSpec } from './ObjectBuilder.ts';

/**
 * Encodes a mesh as a ShapeNet-style OBJ: `mtllib`, then `v`, `vt`, `vn` (one of each per
 * vertex, so faces are `f i/i/i`), then one `usemtl` block per triangle group (material).
 * Fixed decimals make the text deterministic.
 *
 * @param mtlFile the MTL file name, relative to the OBJ
 * @param comment one header comment line
 */
export function encodeObj(mesh: MeshBuilder, mtlFile: string, comment: string): string {
  const out: string[] = [`# ${comment}\n`, `mtllib ${mtlFile}\n`, 'o model\n'];
  const { positions: p, uvs, normals: n } = mesh;
  for (let i = 0; i < mesh.vertexCount; i++) {
    out.push(`v ${p[3 * i].toFixed(6)} ${p[3 * i + 1].toFixed(6)} ${p[3 * i + 2].toFixed(6)}\n`);
  }
  for (let i = 0; i < mesh.vertexCount; i++)
    out.push(`vt ${uvs[2 * i].toFixed(4)} ${uvs[2 * i + 1].toFixed(4)}\n`);
  for (let i = 0; i < mesh.vertexCount; i++) {
    out.push(`vn ${n[3 * i].toFixed(4)} ${n[3 * i + 1].toFixed(4)} ${n[3 * i + 2].toFixed(4)}\n`);
  }
  for (const [group, tris] of mesh.groups) {
    out.push(`g ${group}\n`, `usemtl ${group}\n`);
    for (let t = 0; t < tris.length; t += 3) {
      const [a, b, c] = [tris[t] + 1, tris[t + 1] + 1, tris[t + 2] + 1];
      out.push(`f ${a}/${a}/${a} ${b}/${b}/${b} ${c}/${c}/${c}\n`);
    }
  }
  return out.join('');
}

/**
 * Encodes MTL materials (Ka, Kd, Ks, Ns, d, illum, and `map_Kd ../images/<file>` for textured
 * ones, as ShapeNetCore v2 keeps textures in the model's `images/` folder).
 */
export function encodeMtl(materials: ObjMaterialSpec[], comment: string): string {
  const f = (c: number[]): string => c.map((x) => x.toFixed(6)).join(' ');
  const out = [`# ${comment}\n`];
  for (const m of materials) {
    out.push(
      `\nnewmtl ${m.name}\n`,
      `Ka ${f([0.1, 0.1, 0.1])}\n`,
      `Kd ${f(m.kd)}\n`,
      `Ks ${f(m.ks)}\n`,
      `Ns ${m.ns.toFixed(6)}\n`,
      'd 1.000000\n',
      'illum 2\n',
    );
    if (m.texture) out.push(`map_Kd ../images/${m.texture}\n`);
  }
  return out.join('');
}
