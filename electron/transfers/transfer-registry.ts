import { AppError } from '../app-error.js';
import type { EventBus } from '../event-bus.js';

/** What a running transfer gets: the signal that `cancel` fires, and a way to report bytes sent. */
export interface TransferHandle {
  readonly signal: AbortSignal;
  progress(sent: number, total: number): void;
}

/**
 * Copies to a host that the user can follow and cancel by id: workspace pushes, image imports
 * and the setup wizard's upload fallback. Each runs under an id the renderer chose; progress
 * goes out as `transfers.progressed`, and `cancel(id)` aborts it. The id is forgotten when the
 * transfer ends, however it ends.
 */
export interface TransferRegistry {
  /**
   * Runs `work` as transfer `transferId`. `options.signal` (e.g. a wizard run's) cancels it too.
   * A second transfer under an id that is still running is refused.
   */
  run<T>(transferId: string, work: (transfer: TransferHandle) => Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
  cancel(transferId: string): boolean;
  /** How many transfers are running. */
  readonly active: number;
}

/**
 * At most one progress event per transfer in this time, besides the first and the last: a push
 * reads 255 KiB at a time, thousands of chunks a second on a fast link, and each event is a
 * message to every window and a render of its bar.
 */
export const PROGRESS_INTERVAL_MS = 100;

export function createTransferRegistry(deps: { events: EventBus; now?: () => number }): TransferRegistry {
  const now = deps.now ?? Date.now;
  const running = new Map<string, AbortController>();
  return {
    async run(transferId, work, options = {}) {
      if (running.has(transferId)) {
        throw new AppError('CONFLICT', 'A transfer with this id is already running.', { remedy: 'Start the transfer again; the window picks a new id each time.' });
      }
      const controller = new AbortController();
      running.set(transferId, controller);
      const parent = options.signal;
      const onParentAbort = () => controller.abort();
      if (parent?.aborted) controller.abort();
      else parent?.addEventListener('abort', onParentAbort, { once: true });
      let lastAt = -Infinity;
      try {
        return await work({
          signal: controller.signal,
          progress: (sent, total) => {
            const at = now();
            if (sent < total && at - lastAt < PROGRESS_INTERVAL_MS) return;
            lastAt = at;
            deps.events.emit('transfers.progressed', { transferId, sent, total });
          },
        });
      } finally {
        parent?.removeEventListener('abort', onParentAbort);
        running.delete(transferId);
      }
    },
    cancel(transferId) {
      const controller = running.get(transferId);
      controller?.abort();
      return controller !== undefined;
    },
    get active() {
      return running.size;
    },
  };
}
