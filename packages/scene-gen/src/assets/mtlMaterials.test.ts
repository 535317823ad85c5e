import { describe, expect, it } from 'vitest';
import { parseMtl, roughnessFromMtl, textureFileName } from './mtlMaterials.ts';

describe('textureFileName', () => {
  it.each([
    ['texture0.jpg', 'texture0.jpg'],
    ['../images/texture0.jpg', '../images/texture0.jpg'],
    ['.\\wal67ar_small.jpg', './wal67ar_small.jpg'],
    ['-s 1 1 1 -o 0 0 wood grain.png', 'wood grain.png'],
    ['-clamp on -bm 0.5 C:\\maps\\a.PNG', 'C:/maps/a.PNG'],
    ['-s 2 tex.png', 'tex.png'],
  ])('%s -> %s', (value, name) => {
    expect(textureFileName(value)).toBe(name);
  });
});

describe('roughnessFromMtl', () => {
  it('is matte without a specular colour and falls with the specular exponent', () => {
    expect(roughnessFromMtl(undefined, 100)).toBe(1);
    expect(roughnessFromMtl([0, 0, 0], 100)).toBe(1);
    const r = [1, 10, 100, 1000].map((ns) => roughnessFromMtl([0.5, 0.5, 0.5], ns));
    for (let i = 1; i < r.length; i++) expect(r[i]).toBeLessThan(r[i - 1]);
    expect(r[3]).toBeCloseTo((2 / 1002) ** 0.25, 9);
  });
});

describe('parseMtl', () => {
  it('reads Kd, Ks, Ns and map_Kd of each material, in file order', () => {
    const m = parseMtl('newmtl a\nKd 1 0.5 0\nNs 20\nKs 0.1 0.1 0.1\nmap_Kd t.png\nnewmtl b b\nKd 0 0 1\n');
    expect([...m.keys()]).toEqual(['a', 'b b']);
    expect(m.get('a')).toEqual({ name: 'a', kd: [1, 0.5, 0], ks: [0.1, 0.1, 0.1], ns: 20, mapKd: 't.png' });
    expect(m.get('b b')).toEqual({
      name: 'b b',
      kd: [0, 0, 1],
      ks: undefined,
      ns: undefined,
      mapKd: undefined,
    });
  });
});
