import { describe, expect, it } from 'vitest';
import { createSeriesRing } from '../../../../electron/metrics/series-ring';

describe('series ring', () => {
  it('keeps at most its capacity, oldest dropped first, with unknowns as null', () => {
    const ring = createSeriesRing(['a', 'b'] as const, 3);
    expect(ring.last()).toBeNull();
    expect(ring.columns()).toEqual({ t: [], series: { a: [], b: [] } });
    for (let i = 1; i <= 1000; i++) ring.push(i, { a: i * 10, b: i % 2 === 0 ? null : i });
    expect(ring.size).toBe(3);
    expect(ring.columns()).toEqual({ t: [998, 999, 1000], series: { a: [9980, 9990, 10000], b: [null, 999, null] } });
    expect(ring.last()).toEqual({ t: 1000, a: 10000, b: null });
  });

  it('answers only what is newer than sinceT', () => {
    const ring = createSeriesRing(['v'] as const, 5);
    for (let i = 1; i <= 4; i++) ring.push(i * 1000, { v: i });
    expect(ring.columns(2000)).toEqual({ t: [3000, 4000], series: { v: [3, 4] } });
    expect(ring.columns(9999)).toEqual({ t: [], series: { v: [] } });
  });

  it('stores NaN and infinities as unknown, and refuses a capacity below one', () => {
    const ring = createSeriesRing(['v'] as const, 2);
    ring.push(1, { v: Number.POSITIVE_INFINITY });
    expect(ring.last()).toEqual({ t: 1, v: null });
    expect(() => createSeriesRing(['v'] as const, 0)).toThrow(/capacity/);
  });
});
