/**
 * The points of a series that have no neighbour to draw a line to (a first rate after a gap, a
 * value between two missed samples): uPlot draws nothing for them unless they are shown as dots.
 */
export function isolatedPoints(values: ArrayLike<number | null | undefined>): number[] {
  const isolated: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] == null) continue;
    if (values[i - 1] == null && values[i + 1] == null) isolated.push(i);
  }
  return isolated;
}
