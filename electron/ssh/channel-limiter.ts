/**
 * Bounds how many SSH channels one connection has open. OpenSSH's sshd allows 10 sessions per
 * connection (MaxSessions); past that, opening a channel fails. Work beyond the limit waits in
 * order instead of failing.
 */
export interface ChannelLimiter {
  run<T>(work: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createChannelLimiter(max: number): ChannelLimiter {
  let active = 0;
  const queue: (() => void)[] = [];
  return {
    async run(work) {
      // A finishing task hands its slot straight to the next waiter, so a newcomer arriving in
      // between can never push the count past `max`.
      if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
      else active += 1;
      try {
        return await work();
      } finally {
        const next = queue.shift();
        if (next) next();
        else active -= 1;
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
