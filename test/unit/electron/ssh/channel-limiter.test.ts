import { describe, expect, it } from 'vitest';
import { createChannelLimiter } from '../../../../electron/ssh/channel-limiter';
import type { ChannelLimiter } from '../../../../electron/ssh/channel-limiter';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued microtask and the next macrotask run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `fn` after `depth` microtask hops. */
function afterMicrotasks(depth: number, fn: () => void): void {
  let p = Promise.resolve();
  for (let i = 0; i < depth; i++) p = p.then(() => undefined);
  void p.then(fn);
}

/** Work that records how many tasks run at once, as seen from inside the work itself. */
function tracker(limiter: ChannelLimiter) {
  const state = { running: 0, peak: 0, limiterActivePeak: 0, started: [] as number[] };
  const task = (id: number, until: Promise<unknown>) => async () => {
    state.running += 1;
    state.started.push(id);
    state.peak = Math.max(state.peak, state.running);
    state.limiterActivePeak = Math.max(state.limiterActivePeak, limiter.active);
    try {
      await until;
      return id;
    } finally {
      state.running -= 1;
    }
  };
  return { state, task };
}

describe('createChannelLimiter', () => {
  it('never runs more than max of 100 concurrent tasks at once, and runs them all', async () => {
    const max = 10;
    const limiter = createChannelLimiter(max);
    const { state, task } = tracker(limiter);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        limiter.run(task(i, new Promise((resolve) => setTimeout(resolve, (i * 7) % 5)))),
      ),
    );
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(state.peak).toBe(max);
    expect(state.limiterActivePeak).toBe(max);
    expect(limiter.active).toBe(0);
    expect(limiter.waiting).toBe(0);
  });

  it('does not let a newcomer that arrives just as a task finishes push past max', async () => {
    const max = 3;
    const limiter = createChannelLimiter(max);
    const { state, task } = tracker(limiter);
    const gates = Array.from({ length: 6 }, () => deferred());
    const all: Promise<number>[] = gates.map((gate, i) => limiter.run(task(i, gate.promise)));
    await settle();
    expect(limiter.active).toBe(max);
    expect(limiter.waiting).toBe(3);

    // Finish tasks one by one; at every microtask position around the hand-off to the next
    // waiter, another caller asks for a slot.
    let nextId = 100;
    let activeSeenByNewcomers = 0;
    for (const gate of gates) {
      gate.resolve();
      for (let depth = 0; depth <= 8; depth++) {
        afterMicrotasks(depth, () => {
          all.push(limiter.run(task(nextId++, settle())));
          activeSeenByNewcomers = Math.max(activeSeenByNewcomers, limiter.active);
        });
      }
      await settle();
      expect(state.running).toBeLessThanOrEqual(max);
      expect(limiter.active).toBeLessThanOrEqual(max);
    }
    await Promise.all(all);
    expect(state.peak).toBe(max);
    expect(state.limiterActivePeak).toBeLessThanOrEqual(max);
    expect(activeSeenByNewcomers).toBeLessThanOrEqual(max);
    expect(state.started).toHaveLength(6 + 6 * 9);
    expect(limiter.active).toBe(0);
    expect(limiter.waiting).toBe(0);
  });

  it('starts waiting tasks in the order they asked', async () => {
    const limiter = createChannelLimiter(1);
    const { state, task } = tracker(limiter);
    const blocker = deferred();
    const first = limiter.run(task(0, blocker.promise));
    const rest = Array.from({ length: 10 }, (_, i) => limiter.run(task(i + 1, Promise.resolve())));
    await settle();
    expect(state.started).toEqual([0]);
    expect(limiter.waiting).toBe(10);
    blocker.resolve();
    await Promise.all([first, ...rest]);
    expect(state.started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('passes a rejection through to the caller and frees the slot for the next task', async () => {
    const limiter = createChannelLimiter(1);
    const failing = deferred<string>();
    const failed = limiter.run(() => failing.promise);
    let nextRan = false;
    const next = limiter.run(async () => {
      nextRan = true;
      return 'next';
    });
    await settle();
    expect(nextRan).toBe(false);
    failing.reject(new Error('channel open failed'));
    await expect(failed).rejects.toThrow('channel open failed');
    await expect(next).resolves.toBe('next');
    expect(nextRan).toBe(true);
    expect(limiter.active).toBe(0);
  });

  it('frees the slot when the work throws synchronously', async () => {
    const limiter = createChannelLimiter(1);
    const thrower = (): Promise<never> => {
      throw new Error('sync boom');
    };
    await expect(limiter.run(thrower)).rejects.toThrow('sync boom');
    expect(limiter.active).toBe(0);
    await expect(limiter.run(async () => 'after')).resolves.toBe('after');
  });

  it('keeps failures from leaking slots over many tasks', async () => {
    const limiter = createChannelLimiter(2);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          await settle();
          if (i % 2 === 0) throw new Error(`fail ${i}`);
          return i;
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(10);
    expect(limiter.active).toBe(0);
    expect(limiter.waiting).toBe(0);
    // Still usable at full width.
    const gates = [deferred(), deferred()];
    const both = gates.map((g) => limiter.run(() => g.promise));
    await settle();
    expect(limiter.active).toBe(2);
    expect(limiter.waiting).toBe(0);
    gates.forEach((g) => g.resolve());
    await Promise.all(both);
  });

  it('counts active and waiting tasks as they come and go', async () => {
    const limiter = createChannelLimiter(2);
    expect([limiter.active, limiter.waiting]).toEqual([0, 0]);
    const gates = Array.from({ length: 5 }, () => deferred());
    const runs = gates.map((g) => limiter.run(() => g.promise));
    expect([limiter.active, limiter.waiting]).toEqual([2, 3]);

    gates[0]?.resolve();
    await settle();
    expect([limiter.active, limiter.waiting]).toEqual([2, 2]);

    gates[1]?.resolve();
    gates[2]?.resolve();
    await settle();
    expect([limiter.active, limiter.waiting]).toEqual([2, 0]);

    gates[3]?.resolve();
    await settle();
    expect([limiter.active, limiter.waiting]).toEqual([1, 0]);

    gates[4]?.resolve();
    await Promise.all(runs);
    expect([limiter.active, limiter.waiting]).toEqual([0, 0]);
  });
});

describe('learning the host’s session limit', () => {
  /** Opens `n` slots at once, as a burst of commands does; the host accepts the first `allowed`. */
  async function burst(limiter: ChannelLimiter, n: number, allowed: number) {
    const slots = await Promise.all(Array.from({ length: n }, () => limiter.acquire()));
    slots.forEach((slot, i) => (i < allowed ? slot.opened() : slot.refused()));
    return slots;
  }

  it('keeps the assumed bound after one refusal (sshd may free a closed session a moment late)', async () => {
    const limiter = createChannelLimiter(8);
    await burst(limiter, 3, 2);
    expect([limiter.limit, limiter.learned, limiter.peak]).toEqual([8, false, 2]);
  });

  it('lowers the bound to the sessions the host accepted at once when the same slot is refused again', async () => {
    const limiter = createChannelLimiter(8);
    const slots = await burst(limiter, 8, 2);
    const retried = slots[5]!;
    retried.retry();
    retried.refused();
    expect([limiter.limit, limiter.learned, limiter.peak]).toEqual([2, true, 2]);
    // Refused work gives its slot back; newcomers now wait until fewer than two are in use.
    for (const slot of slots.slice(2)) slot.release();
    expect(limiter.active).toBe(2);
    let started = false;
    const next = limiter.acquire().then((slot) => {
      started = true;
      return slot;
    });
    await settle();
    expect(started).toBe(false);
    slots[0]!.release();
    (await next).release();
    expect(started).toBe(true);
  });

  it('counts sessions sent before a refusal as accepted even before their answer arrives', async () => {
    const limiter = createChannelLimiter(8);
    const slots = await Promise.all(Array.from({ length: 4 }, () => limiter.acquire()));
    // The host answered the first three with "open", but only the refusal of the fourth has arrived.
    slots[3]!.refused();
    slots[3]!.retry();
    slots[3]!.refused();
    expect(limiter.limit).toBe(3);
  });

  it('never learns a bound below one', async () => {
    const limiter = createChannelLimiter(4);
    const slot = await limiter.acquire();
    slot.refused();
    slot.retry();
    slot.refused();
    expect(limiter.limit).toBe(1);
  });

  it('gives a retry its slot ahead of work that waited longer', async () => {
    const limiter = createChannelLimiter(1);
    const first = await limiter.acquire();
    const order: string[] = [];
    const waiting = limiter.acquire().then((slot) => {
      order.push('waiting');
      slot.release();
    });
    const retry = limiter.acquire({ front: true }).then((slot) => {
      order.push('retry');
      slot.release();
    });
    first.release();
    await Promise.all([waiting, retry]);
    expect(order).toEqual(['retry', 'waiting']);
  });

  it('tryAcquire takes a free slot at once, and none while work waits or the bound is reached', async () => {
    const limiter = createChannelLimiter(1);
    const slot = limiter.tryAcquire();
    expect(slot).toBeDefined();
    expect(limiter.tryAcquire()).toBeUndefined();
    const waiting = limiter.acquire();
    slot!.release();
    expect(limiter.tryAcquire()).toBeUndefined(); // the waiter has it
    (await waiting).release();
    expect(limiter.tryAcquire()).toBeDefined();
  });
});
