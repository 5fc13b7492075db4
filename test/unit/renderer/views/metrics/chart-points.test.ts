import { expect, it } from 'vitest';
import { isolatedPoints } from '../../../../../renderer/views/metrics/chart-points';

it('a value with no neighbour to draw a line to is shown as a dot; runs of two or more are lines', () => {
  expect(isolatedPoints([null, 5, null, 1, 2, null, null, 7])).toEqual([1, 7]);
  expect(isolatedPoints([3])).toEqual([0]);
  expect(isolatedPoints([1, 2, 3])).toEqual([]);
  expect(isolatedPoints([])).toEqual([]);
});
