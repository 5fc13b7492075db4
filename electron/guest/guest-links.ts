import type { SshClient } from '../ssh/ssh2.js';

/** A use of a guest's SSH connection: a terminal, a command, a forward, a copy. */
export interface GuestLease {
  readonly client: SshClient;
  /** The connection went away (guest rebooted, host lost, VM stopped). */
  readonly closed: boolean;
  /** Called once when the connection goes away while the lease is held. */
  onClose(listener: (reason: string) => void): void;
  /** Gives the lease back; the connection closes when its last lease is given back. */
  release(): void;
}

export interface GuestLinks {
  acquire(key: string, open: () => Promise<SshClient>): Promise<GuestLease>;
  /** Whether a connection to `key` is open now. */
  has(key: string): boolean;
  /** Closes the connection to `key` (the VM stopped or was deleted); leases see onClose. */
  close(key: string, reason: string): void;
  closeAll(reason: string): void;
  /** Open connections (tests and benches). */
  readonly size: number;
}

interface Link {
  opening: Promise<SshClient>;
  client?: SshClient;
  leases: number;
  closed: boolean;
  listeners: Set<(reason: string) => void>;
  reason?: string;
}

/**
 * One SSH connection per guest, shared by its terminals, commands, copies and forwards, and
 * closed when the last of them lets go (a guest connection is a session on the guest's sshd and
 * a channel on the host's connection, so none is kept without a user).
 */
export function createGuestLinks(): GuestLinks {
  const links = new Map<string, Link>();

  function end(key: string, link: Link, reason: string) {
    if (link.closed) return;
    link.closed = true;
    link.reason = reason;
    if (links.get(key) === link) links.delete(key);
    link.client?.end();
    for (const listener of [...link.listeners]) listener(reason);
    link.listeners.clear();
  }

  return {
    async acquire(key, open) {
      let link = links.get(key);
      if (!link || link.closed) {
        const fresh: Link = { opening: open(), leases: 0, closed: false, listeners: new Set() };
        link = fresh;
        links.set(key, fresh);
        fresh.opening.then(
          (client) => {
            fresh.client = client;
            if (fresh.closed) return void client.end();
            client.once('close', () => end(key, fresh, 'the SSH connection to the guest closed'));
          },
          () => {
            if (links.get(key) === fresh) links.delete(key);
            fresh.closed = true;
          },
        );
      }
      link.leases += 1;
      const held = link;
      let client: SshClient;
      try {
        client = await held.opening;
      } catch (error) {
        held.leases -= 1;
        throw error;
      }
      let released = false;
      const mine = new Set<(reason: string) => void>();
      return {
        client,
        get closed() {
          return held.closed;
        },
        onClose(listener) {
          if (held.closed) listener(held.reason ?? 'closed');
          else {
            mine.add(listener);
            held.listeners.add(listener);
          }
        },
        release() {
          if (released) return;
          released = true;
          // A lease given back hears nothing more of the connection.
          for (const listener of mine) held.listeners.delete(listener);
          held.leases -= 1;
          if (held.leases <= 0) end(key, held, 'no one uses it any more');
        },
      };
    },
    has: (key) => {
      const link = links.get(key);
      return !!link && !link.closed && !!link.client;
    },
    close(key, reason) {
      const link = links.get(key);
      if (link) end(key, link, reason);
    },
    closeAll(reason) {
      for (const [key, link] of [...links]) end(key, link, reason);
    },
    get size() {
      return links.size;
    },
  };
}
