/**
 * A fixed-size history of samples: one time column and one column per field, allocated once
 * (Float64Array for times, Float32Array for values, NaN standing for "unknown"), overwritten
 * oldest first. Its size never grows past `capacity`, however long it is fed.
 */
export interface SeriesRing<F extends string> {
  readonly capacity: number;
  readonly size: number;
  push(t: number, values: Readonly<Record<F, number | null>>): void;
  /** The newest sample, or null when empty. */
  last(): ({ t: number } & Record<F, number | null>) | null;
  /** Samples newer than `sinceT` (all when absent), oldest first, as columns. */
  columns(sinceT?: number): { t: number[]; series: Record<F, (number | null)[]> };
}

export function createSeriesRing<F extends string>(fields: readonly F[], capacity: number): SeriesRing<F> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`a series ring needs a capacity of at least 1, not ${capacity}`);
  const times = new Float64Array(capacity);
  const columns = new Map<F, Float32Array>(fields.map((f) => [f, new Float32Array(capacity)]));
  let next = 0;
  let size = 0;
  const read = (value: number) => (Number.isNaN(value) ? null : value);
  const slot = (i: number) => (next - size + i + capacity) % capacity;

  return {
    capacity,
    get size() {
      return size;
    },
    push(t, values) {
      times[next] = t;
      for (const [field, column] of columns) {
        const value = values[field];
        column[next] = value === null || !Number.isFinite(value) ? Number.NaN : value;
      }
      next = (next + 1) % capacity;
      size = Math.min(size + 1, capacity);
    },
    last() {
      if (size === 0) return null;
      const at = (next - 1 + capacity) % capacity;
      const point = { t: times[at]! } as { t: number } & Record<F, number | null>;
      for (const [field, column] of columns) (point as Record<F, number | null>)[field] = read(column[at]!);
      return point;
    },
    columns(sinceT) {
      let first = 0;
      if (sinceT !== undefined) while (first < size && times[slot(first)]! <= sinceT) first++;
      const t: number[] = [];
      const series = Object.fromEntries(fields.map((f) => [f, [] as (number | null)[]])) as Record<F, (number | null)[]>;
      for (let i = first; i < size; i++) {
        const at = slot(i);
        t.push(times[at]!);
        for (const [field, column] of columns) series[field].push(read(column[at]!));
      }
      return { t, series };
    },
  };
}
