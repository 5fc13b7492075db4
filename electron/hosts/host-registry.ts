import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { hostInputSchema, storedTransportSchema } from '../../shared/channels/hosts.js';
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
  /** Remembers whether the host is to be connected when the backend starts (see HostRecord). */
  setConnectAtStart(id: string, connect: boolean): Promise<void>;
}

const recordSchema = hostInputSchema.extend({
  transport: storedTransportSchema.default('ssh-unix'),
  id: z.string().uuid(),
  createdAt: z.string(),
  connectAtStart: z.boolean().optional(),
});
const documentSchema = z.object({ hosts: z.array(recordSchema) });
type HostsDocument = z.infer<typeof documentSchema>;

export function createHostsStore(dataDir: string): JsonStore<HostsDocument> {
  return createJsonStore({
    dir: dataDir,
    name: 'hosts.json',
    schemaVersion: 1,
    schema: documentSchema,
    defaults: () => ({ hosts: [] }),
    recovery: { what: 'Your host list', consequence: 'started with no hosts', remedy: 'Add your hosts again, or copy their entries back from the backup file.' },
  });
}

export async function createHostRegistry(
  store: JsonStore<HostsDocument>,
  now: () => Date = () => new Date(),
): Promise<{ registry: HostRegistry; loaded: LoadResult<HostsDocument> }> {
  const loaded = await store.load();
  const hosts = () => store.current().hosts;
  /** Applies `change` to the list as it is when its turn comes, so concurrent edits all survive. */
  const update = <T>(change: (current: HostRecord[]) => { next: HostRecord[]; result: T }) =>
    store.update((document) => {
      const { next, result } = change(document.hosts);
      return { next: next === document.hosts ? document : { hosts: next }, result };
    });

  const registry: HostRegistry = {
    list: hosts,
    get(id) {
      const host = hosts().find((h) => h.id === id);
      if (!host) throw new AppError('NOT_FOUND', 'That host no longer exists.', { remedy: 'Reload the host list.' });
      return host;
    },
    add(config) {
      const record: HostRecord = { ...config, id: randomUUID(), createdAt: now().toISOString() };
      return update((current) => ({ next: [...current, record], result: record }));
    },
    update(id, config) {
      return update((current) => {
        const existing = current.find((h) => h.id === id);
        if (!existing) throw new AppError('NOT_FOUND', 'That host no longer exists.', { remedy: 'Reload the host list.' });
        const record: HostRecord = { ...config, id, createdAt: existing.createdAt, ...(existing.connectAtStart !== undefined ? { connectAtStart: existing.connectAtStart } : {}) };
        return { next: current.map((h) => (h.id === id ? record : h)), result: record };
      });
    },
    setConnectAtStart(id, connect) {
      return update((current) => {
        const existing = current.find((h) => h.id === id);
        // Absent means yes, so only a change is written.
        if (!existing || (existing.connectAtStart ?? true) === connect) return { next: current, result: undefined };
        const { connectAtStart: _old, ...rest } = existing;
        const record: HostRecord = connect ? rest : { ...rest, connectAtStart: false };
        return { next: current.map((h) => (h.id === id ? record : h)), result: undefined };
      });
    },
    remove(id) {
      return update((current) => (current.some((h) => h.id === id) ? { next: current.filter((h) => h.id !== id), result: true } : { next: current, result: false }));
    },
  };
  return { registry, loaded };
}
