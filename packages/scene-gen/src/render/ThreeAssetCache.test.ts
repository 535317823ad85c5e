import { BufferAttribute, BufferGeometry } from 'three';
import { SRGBColorSpace } from 'three/webgpu';
import { describe, expect, it } from 'vitest';
import { assetOf, matte, quadGeometry } from '../../test/renderFixtures.ts';
import type { Asset } from '../assets/Asset.ts';
import { srgbToLinear } from './colorUtils.ts';
import { ThreeAssetCache } from './ThreeAssetCache.ts';

const square = () =>
  quadGeometry([
    [0, 0, 0],
    [1, 0, 0],
    [1, 1, 0],
    [0, 1, 0],
  ]);

describe('ThreeAssetCache', () => {
  it('builds each asset once and shares materials and textures between parts', () => {
    const texture = { width: 1, height: 2, data: new Uint8Array([10, 20, 30, 255, 40, 50, 60, 255]) };
    const material = matte([0.5, 0.25, 1], { map: texture, roughness: 0.4 });
    const asset: Asset = {
      ...assetOf('a', 'object', square(), material),
      parts: [
        { geometry: square(), material },
        { geometry: square(), material },
      ],
    };
    const cache = new ThreeAssetCache();
    const parts = cache.parts(asset);
    expect(cache.parts(asset)).toBe(parts);
    expect(cache.size).toBe(1);
    expect(parts[0].material).toBe(parts[1].material);
    const m = parts[0].material;
    expect(m.color.toArray()).toEqual([srgbToLinear(0.5), srgbToLinear(0.25), 1]);
    expect(m.roughness).toBe(0.4);
    expect(m.metalness).toBe(0);
    expect(m.side).toBe(2); // DoubleSide
    expect(m.map!.colorSpace).toBe(SRGBColorSpace);
    // Rows flipped so that row 0 (the image's top) lands at v = 1.
    expect(Array.from((m.map!.image as { data: Uint8Array }).data)).toEqual([
      40, 50, 60, 255, 10, 20, 30, 255,
    ]);
    expect(Array.from(texture.data)).toEqual([10, 20, 30, 255, 40, 50, 60, 255]);
  });

  it('linearises sRGB vertex colours and computes missing normals without touching the asset', () => {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]), 3));
    // Normalised uint8 colours, as PLY loaders may give them.
    geometry.setAttribute(
      'color',
      new BufferAttribute(new Uint8Array([255, 128, 0, 255, 128, 0, 0, 0, 0]), 3, true),
    );
    const asset = assetOf('c', 'room', geometry, matte([1, 1, 1], { vertexColors: true }));
    const { geometry: drawn, material } = new ThreeAssetCache().parts(asset)[0];
    expect(drawn).not.toBe(geometry);
    expect(drawn.getAttribute('position')).toBe(geometry.getAttribute('position'));
    expect(material.vertexColors).toBe(true);
    const color = drawn.getAttribute('color');
    expect(color.getX(0)).toBeCloseTo(1, 6);
    expect(color.getY(0)).toBeCloseTo(srgbToLinear(128 / 255), 6);
    expect(Array.from(drawn.getAttribute('normal').array)).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 1]);
    expect(geometry.getAttribute('normal')).toBeUndefined();
    expect(geometry.getAttribute('color').getX(0)).toBe(1);
  });

  it('draws the asset geometry itself when it has normals and no vertex colours to convert', () => {
    const geometry = square();
    geometry.computeVertexNormals();
    const asset = assetOf('n', 'object', geometry, matte([1, 1, 1]));
    expect(new ThreeAssetCache().parts(asset)[0].geometry).toBe(geometry);
  });

  it('frees GPU resources on evict and clear', () => {
    const asset = assetOf(
      'e',
      'object',
      square(),
      matte([1, 1, 1], { map: { width: 1, height: 1, data: new Uint8Array(4) } }),
    );
    const cache = new ThreeAssetCache();
    const { geometry, material } = cache.parts(asset)[0];
    const disposed: string[] = [];
    geometry.addEventListener('dispose', () => disposed.push('geometry'));
    material.addEventListener('dispose', () => disposed.push('material'));
    material.map!.addEventListener('dispose', () => disposed.push('texture'));
    cache.evict(asset);
    expect(disposed.sort()).toEqual(['geometry', 'material', 'texture']);
    expect(cache.size).toBe(0);
    cache.parts(asset);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
