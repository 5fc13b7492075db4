import { describe, expect, it } from 'vitest';
import { restorableBounds } from '../../../../electron/app/window-state';

const laptop = { x: 0, y: 0, width: 1512, height: 945 };
const external = { x: 1512, y: 0, width: 2560, height: 1440 };

describe('restorableBounds', () => {
  it('reopens the window where it was', () => {
    expect(restorableBounds({ x: 100, y: 80, width: 1200, height: 800 }, [laptop], { width: 900, height: 560 })).toEqual({ x: 100, y: 80, width: 1200, height: 800 });
  });
  it('lets the system place a window whose monitor is gone', () => {
    expect(restorableBounds({ x: 2000, y: 100, width: 1200, height: 800 }, [laptop], { width: 900, height: 560 })).toBeNull();
    expect(restorableBounds({ x: 2000, y: 100, width: 1200, height: 800 }, [laptop, external], { width: 900, height: 560 })).not.toBeNull();
  });
  it('never restores below the minimum size, and has nothing to restore the first time', () => {
    expect(restorableBounds({ x: 10, y: 10, width: 300, height: 200 }, [laptop], { width: 900, height: 560 })).toEqual({ x: 10, y: 10, width: 900, height: 560 });
    expect(restorableBounds(undefined, [laptop], { width: 900, height: 560 })).toBeNull();
  });
});
