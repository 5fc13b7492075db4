import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { hostInputSchema } from '../../shared/channels/hosts.js';
import type { HostConfig, HostRecord } from '../../shared/channels/hosts.js';
import { AppError } from '../app-error.js';
import { createJsonStore } from '../store/json-store.js';
import type { JsonStore, LoadResult } from '../store/json-store.js';

/** The hosts the user added, persisted in hosts.json. Only configuration: state lives on the hosts. */
export interface HostRegistry {
  list(): HostRecord[];
  get(id: string): HostRecord;
  add(config: HostConfig): Promise<HostRecord>;
  update(id: string, config: HostConfig): Promise<HostRecord>;
  remove(id: string): Promise<boolean>;
}

const recordSchema = hostInputSchema.extend({ id: z.string().uuid(), createdAt: z.string() });
const documentSchema = z.object({ hosts: z.array(recordSchema) });
type HostsDocument = z.infer<typeof documentSchema>;

export function createHostsStore(dataDir: string): JsonStore<HostsDocument> {
  return createJsonStore({ dir: dataDir, name: 'hosts.json', schemaVersion: 1, schema: documentSchema, defaults: () => ({ hosts: [] }) });
}

export async function createHostRegistry(
  store: JsonStore<HostsDocument>,
  now: () => Date = () => new Date(),
): Promise<{ registry: HostRegistry; loaded: LoadResult<HostsDocument> }> {
  const loaded = await store.load();
  let hosts: HostRecord[] = loaded.data.hosts;

  async function replace(next: HostRecord[]) {
    await store.save({ hosts: next });
    hosts = next;
  }

  const registry: HostRegistry = {
    list: () => hosts,
    get(id) {
      const host = hosts.find((h) => h.id === id);
      if (!host) throw new AppError('NOT_FOUND', 'That host no longer exists.', { remedy: 'Reload the host list.' });
      return host;
    },
    async add(config) {
      const record: HostRecord = { ...config, id: randomUUID(), createdAt: now().toISOString() };
      await replace([...hosts, record]);
      return record;
    },
    async update(id, config) {
      const current = registry.get(id);
      const record: HostRecord = { ...config, id, createdAt: current.createdAt };
      await replace(hosts.map((h) => (h.id === id ? record : h)));
      return record;
    },
    async remove(id) {
      if (!hosts.some((h) => h.id === id)) return false;
      await replace(hosts.filter((h) => h.id !== id));
      return true;
    },
  };
  return { registry, loaded };
}
