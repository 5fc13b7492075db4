import { randomUUID } from 'node:crypto';

/** Something a view opened that lives on after the request: a console, a terminal, a forward. */
export interface OwnedResource {
  /** Releases what it holds (SSH channels, processes on the host, listening sockets). */
  close(reason: string): void;
}

export interface ResourceHandle {
  readonly id: string;
  /** Marks the resource as in use, restarting its idle timeout. */
  touch(): void;
  /** Closes it and forgets it. */
  release(reason: string): void;
}

/**
 * Everything views have open, by owner (a window load or a browser tab, see `Caller`). When the
 * transport reports an owner gone (a reload, a closed tab, a closed window), all it opened is
 * closed; each resource also closes after `idleMs` without use, so nothing a renderer forgot
 * stays open on a host.
 */
export interface ResourceRegistry {
  add<R extends OwnedResource>(ownerId: string, kind: string, resource: R, options?: { idleMs?: number }): ResourceHandle;
  /** The resource `id` if `ownerId` owns it (ids are not shared between owners). */
  get<R extends OwnedResource>(id: string, ownerId: string): R | undefined;
  /** Closes everything `ownerId` opened; returns how many. */
  releaseOwner(ownerId: string, reason?: string): number;
  /** How many resources are open, of one kind or of all. */
  count(kind?: string): number;
  closeAll(reason: string): void;
}

interface Entry {
  ownerId: string;
  kind: string;
  resource: OwnedResource;
  idleMs?: number;
  timer?: NodeJS.Timeout;
}

export function createResourceRegistry(log: Pick<Console, 'error'> = console): ResourceRegistry {
  const entries = new Map<string, Entry>();

  function release(id: string, reason: string) {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    clearTimeout(entry.timer);
    try {
      entry.resource.close(reason);
    } catch (error) {
      // One resource failing to close must not keep the others open.
      log.error(`closing a ${entry.kind} failed:`, error);
    }
  }

  function arm(id: string, entry: Entry) {
    if (!entry.idleMs) return;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => release(id, `closed after ${Math.round(entry.idleMs! / 60_000)} min without use`), entry.idleMs);
    entry.timer.unref();
  }

  return {
    add(ownerId, kind, resource, options = {}) {
      const id = randomUUID();
      const entry: Entry = { ownerId, kind, resource, ...(options.idleMs ? { idleMs: options.idleMs } : {}) };
      entries.set(id, entry);
      arm(id, entry);
      return {
        id,
        touch: () => {
          const current = entries.get(id);
          if (current) arm(id, current);
        },
        release: (reason) => release(id, reason),
      };
    },
    get<R extends OwnedResource>(id: string, ownerId: string) {
      const entry = entries.get(id);
      return entry && entry.ownerId === ownerId ? (entry.resource as R) : undefined;
    },
    releaseOwner(ownerId, reason = 'its window went away') {
      const ids = [...entries].filter(([, e]) => e.ownerId === ownerId).map(([id]) => id);
      for (const id of ids) release(id, reason);
      return ids.length;
    },
    count: (kind) => [...entries.values()].filter((e) => kind === undefined || e.kind === kind).length,
    closeAll(reason) {
      for (const id of [...entries.keys()]) release(id, reason);
    },
  };
}
