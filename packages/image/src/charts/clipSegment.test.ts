import { describe, expect, it } from 'vitest';
import { clipSegment } from './clipSegment.ts';

describe('clipSegment', () => {
  it('keeps inside parts, cuts at the edges and drops misses', () => {
    expect(clipSegment(1, 1, 5, 5, 0, 0, 10, 10)).toEqual([1, 1, 5, 5]);
    expect(clipSegment(-10, 5, 20, 5, 0, 0, 10, 10)).toEqual([0, 5, 10, 5]);
    expect(clipSegment(5, 5, 5, 1e30, 0, 0, 10, 10)).toEqual([5, 5, 5, 10]);
    expect(clipSegment(-5, 0, 5, 10, 0, 0, 10, 10)).toEqual([0, 5, 5, 10]);
    expect(clipSegment(11, 0, 20, 10, 0, 0, 10, 10)).toBeNull();
    expect(clipSegment(-1, 12, 12, 12, 0, 0, 10, 10)).toBeNull();
  });
});
