import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../../renderer/store/store';
import { createFakeApi } from '../../../support/fake-api';

describe('workspaces slice', () => {
  it('keeps a file the editor refuses chosen, so Push can still send it, and lets go of the editor’s previous file', async () => {
    const fake = createFakeApi({
      'workspaces.list': () => [],
      'workspaces.listFiles': () => [],
      'workspaces.readFile': (input) =>
        (input as { path: string }).path === 'notes.md' ? { content: 'plan\n', size: 5 } : { error: { code: 'NOT_TEXT', message: 'disk.img is a binary file.', remedy: 'Only text files open in the editor; you can still push it to the host.' } },
    });
    const store = createAppStore(fake.api);
    await store.getState().workspaces.select('demo');
    await store.getState().workspaces.open('notes.md');
    expect(store.getState().workspaces).toMatchObject({ selectedPath: 'notes.md', openFile: { path: 'notes.md', content: 'plan\n' } });

    await store.getState().workspaces.open('disk.img');
    expect(store.getState().workspaces.selectedPath).toBe('disk.img');
    expect(store.getState().workspaces.openFile).toBeUndefined();
    expect(store.getState().workspaces.error).toMatchObject({ code: 'NOT_TEXT' });

    await store.getState().workspaces.openDir('sub');
    expect(store.getState().workspaces.selectedPath).toBeUndefined();
  });
});
