import { createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { drawRoomPlan, type FixturePlan, insideFootprint } from './roomPlan.ts';

type Column = Extract<FixturePlan, { kind: 'column' }>;

describe('drawRoomPlan (200 seeded plans, seeds 0..199)', () => {
  const plans = Array.from({ length: 200 }, (_, seed) => drawRoomPlan(createRng(seed), `r${seed}`));

  it('walls run counter-clockwise with inward normals pointing into the footprint', () => {
    for (const plan of plans) {
      for (const w of plan.walls) {
        const mid = [(w.a[0] + w.b[0]) / 2, (w.a[1] + w.b[1]) / 2];
        expect(
          insideFootprint(plan.footprint, mid[0] + 0.5 * w.inward[0], mid[1] + 0.5 * w.inward[1]),
          plan.id,
        ).toBe(true);
        expect(
          insideFootprint(plan.footprint, mid[0] - 0.5 * w.inward[0], mid[1] - 0.5 * w.inward[1]),
          plan.id,
        ).toBe(false);
      }
      expect([4, 6]).toContain(plan.walls.length);
    }
    expect(plans.filter((p) => p.walls.length === 6).length).toBeGreaterThan(40);
  });

  it('has exactly one door or doorway, openings inside their wall, and no two spans overlapping', () => {
    for (const plan of plans) {
      expect(
        plan.openings.filter((o) => o.kind !== 'window'),
        plan.id,
      ).toHaveLength(1);
      const spans = plan.walls.map(() => [] as [number, number][]);
      for (const o of plan.openings) {
        expect(o.s0, plan.id).toBeGreaterThanOrEqual(3);
        expect(o.s1, plan.id).toBeLessThanOrEqual(plan.walls[o.wall].length - 3);
        expect(o.y1, plan.id).toBeLessThanOrEqual(plan.height - 3);
        spans[o.wall].push([o.s0, o.s1]);
      }
      for (const f of plan.fixtures) {
        if (f.kind === 'shelf') spans[f.wall].push([f.s0, f.s1]);
        if (f.kind === 'radiator' && !plan.openings.some((o) => o.wall === f.wall && o.s0 === f.s0)) {
          spans[f.wall].push([f.s0, f.s1]);
        }
      }
      for (const list of spans) {
        const sorted = [...list].sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < sorted.length; i++)
          expect(sorted[i][0], plan.id).toBeGreaterThanOrEqual(sorted[i - 1][1]);
      }
    }
  });

  it('keeps columns clear of the walls', () => {
    const columns = plans.flatMap((p) =>
      p.fixtures.filter((f): f is Column => f.kind === 'column').map((f) => ({ p, f })),
    );
    expect(columns.length).toBeGreaterThan(20);
    for (const { p, f } of columns) {
      for (const [x, z] of [
        [f.x0 - 5, f.z0 - 5],
        [f.x1 + 5, f.z1 + 5],
        [f.x0 - 5, f.z1 + 5],
        [f.x1 + 5, f.z0 - 5],
      ]) {
        expect(insideFootprint(p.footprint, x, z), p.id).toBe(true);
      }
    }
  });

  it('is a pure function of the rng', () => {
    expect(drawRoomPlan(createRng(42), 'x')).toEqual(drawRoomPlan(createRng(42), 'x'));
    expect(drawRoomPlan(createRng(42), 'x')).not.toEqual(drawRoomPlan(createRng(43), 'x'));
  });
});
