/**
 * Bounds how many SSH session channels one connection has open, and learns the host's real
 * limit. OpenSSH's sshd allows MaxSessions (10 by default) sessions per connection and refuses
 * the next one ("open failed", administratively prohibited). Work beyond the bound waits in
 * order instead of failing.
 *
 * Learning: the host answers channel opens in the order they were sent. So when it refuses one,
 * every session opened before it that has not closed is one it accepted: that many sessions at
 * once is what the host allows (a lower bound of it, as a session opened by someone else on the
 * connection would not be counted). sshd frees a closed session a moment late, so one refusal
 * may only mean "not yet": the caller retries the same slot once, and the bound is lowered when
 * that slot is refused again, to the most sessions seen accepted at once (never below one).
 */
export interface ChannelLimiter {
  /** Runs `work` inside one slot. Its channels, if any, are not counted for learning. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Waits for a slot for a session channel that the caller opens right away and reports on.
   * `front` puts a retry ahead of the work that is still waiting.
   */
  acquire(options?: { front?: boolean }): Promise<SessionSlot>;
  /** A slot now, if one is free and nothing waits for it; otherwise undefined. */
  tryAcquire(): SessionSlot | undefined;
  /** Slots in use (including ones whose channel is still being opened). */
  readonly active: number;
  readonly waiting: number;
  /** The current bound: the assumed limit, or the learned one once the host refused a session. */
  readonly limit: number;
  /** The bound comes from a refusal by the host. */
  readonly learned: boolean;
  /** The most sessions seen open at once: the host is known to allow at least this many. */
  readonly peak: number;
}

export interface SessionSlot {
  /** The host accepted the channel. */
  opened(): void;
  /** The host refused to open the channel for lack of sessions; the second time, the bound is lowered. */
  refused(): void;
  /** The caller opens the channel again with this slot (after a first refusal). */
  retry(): void;
  /** Gives the slot back (after the channel closed, or after a refusal). Idempotent. */
  release(): void;
}

type SlotState = 'unknown' | 'pending' | 'open' | 'refused';

interface SlotRecord {
  /** Order in which channel opens were sent; the host answers in this order. */
  seq: number;
  state: SlotState;
  refusals: number;
}

export function createChannelLimiter(assumed: number): ChannelLimiter {
  let limit = Math.max(1, assumed);
  let learned = false;
  let active = 0;
  let peak = 0;
  let nextSeq = 0;
  const queue: (() => void)[] = [];
  const slots = new Set<SlotRecord>();

  // A waiter is given its slot (the count raised) before it resumes, so a newcomer arriving
  // in between can never push the count past the bound.
  function pump() {
    while (queue.length > 0 && active < limit) {
      active += 1;
      queue.shift()!();
    }
  }

  async function take(front: boolean): Promise<void> {
    if (queue.length === 0 && active < limit) {
      active += 1;
      return;
    }
    await new Promise<void>((resolve) => (front ? queue.unshift(resolve) : queue.push(resolve)));
  }

  const count = (match: (r: SlotRecord) => boolean) => [...slots].filter(match).length;

  function slotFor(state: SlotState): SessionSlot {
    const record: SlotRecord = { seq: nextSeq++, state, refusals: 0 };
    slots.add(record);
    let released = false;
    return {
      opened() {
        if (record.state !== 'pending') return;
        record.state = 'open';
        peak = Math.max(peak, count((r) => r.state === 'open'));
      },
      refused() {
        if (record.state !== 'pending') return;
        record.state = 'refused';
        record.refusals += 1;
        // Sent before this one and still there: open, or accepted with its answer on the way.
        const accepted = count((r) => r.seq < record.seq && (r.state === 'open' || r.state === 'pending'));
        peak = Math.max(peak, accepted);
        if (record.refusals < 2) return;
        limit = Math.min(limit, Math.max(1, peak));
        learned = true;
      },
      retry() {
        if (record.state !== 'refused') return;
        record.state = 'pending';
        record.seq = nextSeq++;
      },
      release() {
        if (released) return;
        released = true;
        slots.delete(record);
        active -= 1;
        pump();
      },
    };
  }

  return {
    async run(work) {
      await take(false);
      const slot = slotFor('unknown');
      try {
        return await work();
      } finally {
        slot.release();
      }
    },
    async acquire(options = {}) {
      await take(options.front ?? false);
      return slotFor('pending');
    },
    tryAcquire() {
      if (queue.length > 0 || active >= limit) return undefined;
      active += 1;
      return slotFor('pending');
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    get limit() {
      return limit;
    },
    get learned() {
      return learned;
    },
    get peak() {
      return peak;
    },
  };
}
