/**
 * Runs read-modify-write steps one after another. Without it two concurrent changes both read
 * the old state and the later write silently drops the earlier change.
 */
export interface SerialQueue {
  run<T>(step: () => Promise<T>): Promise<T>;
}

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(step) {
      const next = tail.then(step);
      // The chain must outlive a failed step, or every later step would fail with it.
      tail = next.catch(() => undefined);
      return next;
    },
  };
}
