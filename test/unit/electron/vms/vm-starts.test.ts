import { describe, expect, it } from 'vitest';
import { createVmStarts } from '../../../../electron/vms/vm-starts';

describe('vm-starts registry', () => {
  it('a watch sees the starts in flight when it opens and those that begin while it is open, ended or not', () => {
    const starts = createVmStarts();
    const before = starts.begin('h1', 'early');
    starts.begin('h1', 'done-before')();
    const watch = starts.watch('h1');
    before(); // ended after the watch opened, maybe after the watcher's VM list: still spared
    const during = starts.begin('h1', 'during');
    starts.begin('h1', 'quick')();
    starts.begin('h2', 'other-host');
    expect([...watch.ids()].sort()).toEqual(['during', 'early', 'quick']);
    during();
    expect([...watch.ids()].sort()).toEqual(['during', 'early', 'quick']);
    watch.close();
  });

  it('a closed watch stops collecting, and a new one sees only what is in flight then', () => {
    const starts = createVmStarts();
    const watch = starts.watch('h1');
    watch.close();
    const end = starts.begin('h1', 'later');
    expect([...watch.ids()]).toEqual([]);
    expect([...starts.watch('h1').ids()]).toEqual(['later']);
    end();
    expect([...starts.watch('h1').ids()]).toEqual([]);
  });

  it('counts overlapping starts of one VM, and ending one twice ends it once', () => {
    const starts = createVmStarts();
    const first = starts.begin('h1', 'vm');
    const second = starts.begin('h1', 'vm');
    first();
    first();
    expect([...starts.watch('h1').ids()]).toEqual(['vm']);
    second();
    expect([...starts.watch('h1').ids()]).toEqual([]);
  });
});
