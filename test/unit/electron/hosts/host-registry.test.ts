import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHostRegistry, createHostsStore } from '../../../../electron/hosts/host-registry';
import { makeTempDir } from '../../../support/temp-dir';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => dir.cleanup());

const config = (label: string) => ({ label, address: '10.0.0.1', port: 22, user: 'me', auth: { method: 'agent' as const }, transport: 'ssh-unix' as const });

describe('host registry', () => {
  it('keeps every one of several changes made at once, on disk too', async () => {
    const { registry } = await createHostRegistry(createHostsStore(dir.path));
    const added = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((label) => registry.add(config(label))));
    await Promise.all([registry.update(added[0]!.id, config('a2')), registry.remove(added[1]!.id), registry.add(config('f'))]);
    const reloaded = (await createHostRegistry(createHostsStore(dir.path))).registry;
    expect(reloaded.list().map((h) => h.label).sort()).toEqual(['a2', 'c', 'd', 'e', 'f']);
  });
});
