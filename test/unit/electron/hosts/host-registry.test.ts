import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

  it('reads a stored ssh-tcp transport (replaced by ssh-exec) as ssh-exec, so existing hosts keep working', async () => {
    const id = '5b4f3f0e-8c2a-4d59-9d1e-2f0a8b7c6d5e';
    const stored = { ...config('old'), transport: 'ssh-tcp', id, createdAt: '2025-01-01T00:00:00.000Z' };
    await writeFile(join(dir.path, 'hosts.json'), JSON.stringify({ schemaVersion: 1, data: { hosts: [stored] } }));
    const { registry, loaded } = await createHostRegistry(createHostsStore(dir.path));
    expect(loaded.recovered).toBeUndefined();
    expect(registry.get(id).transport).toBe('ssh-exec');
  });

  it('remembers which hosts stay disconnected at start, and keeps it across an edit', async () => {
    const { registry } = await createHostRegistry(createHostsStore(dir.path));
    const host = await registry.add(config('a'));
    expect(host.connectAtStart).toBeUndefined(); // absent: connect at start
    await registry.setConnectAtStart(host.id, false);
    await registry.update(host.id, config('renamed'));
    const reloaded = (await createHostRegistry(createHostsStore(dir.path))).registry;
    expect(reloaded.get(host.id)).toMatchObject({ label: 'renamed', connectAtStart: false });
    await reloaded.setConnectAtStart(host.id, true);
    expect(JSON.parse(await readFile(join(dir.path, 'hosts.json'), 'utf8')).data.hosts[0]).not.toHaveProperty('connectAtStart');
  });
});
