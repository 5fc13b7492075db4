import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../../electron/event-bus';
import { createTransferRegistry, PROGRESS_INTERVAL_MS } from '../../../../electron/transfers/transfer-registry';
import type { EventMap } from '../../../../shared/events';

function setup(now?: () => number) {
  const events = createEventBus();
  const progressed: EventMap['transfers.progressed'][] = [];
  events.subscribe((name, payload) => {
    if (name === 'transfers.progressed') progressed.push(payload as EventMap['transfers.progressed']);
  });
  return { transfers: createTransferRegistry({ events, now }), progressed };
}

const until = (signal: AbortSignal) => new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }));

describe('transfer registry', () => {
  it('reports progress under the transfer id, and cancels by that id', async () => {
    const { transfers, progressed } = setup();
    const running = transfers.run('t-1', async ({ signal, progress }) => {
      progress(10, 100);
      return until(signal);
    });
    expect(transfers.active).toBe(1);
    expect(transfers.cancel('t-1')).toBe(true);
    expect(await running).toBe('aborted');
    expect(progressed).toEqual([{ transferId: 't-1', sent: 10, total: 100 }]);
    // Forgotten once it ended: a second cancel finds nothing.
    expect(transfers.cancel('t-1')).toBe(false);
    expect(transfers.active).toBe(0);
  });

  it('reports at most one progress event per interval, but always the first and the last', async () => {
    let clock = 1000;
    const { transfers, progressed } = setup(() => clock);
    await transfers.run('t-4', async ({ progress }) => {
      for (let sent = 1; sent <= 10; sent++) {
        progress(sent, 10);
        clock += PROGRESS_INTERVAL_MS / 4;
      }
    });
    // Chunks at 0, 25, 50 … ms: sent at 0, 100 and 200 ms, and the last one.
    expect(progressed.map((p) => p.sent)).toEqual([1, 5, 9, 10]);
  });

  it('is cancelled by the signal of the work it belongs to (a wizard run)', async () => {
    const { transfers } = setup();
    const parent = new AbortController();
    const running = transfers.run('t-2', ({ signal }) => until(signal), { signal: parent.signal });
    parent.abort();
    expect(await running).toBe('aborted');
    const already = await transfers.run('t-3', async ({ signal }) => signal.aborted, { signal: parent.signal });
    expect(already).toBe(true);
  });

  it('refuses a second transfer under a running id, and forgets a failed one', async () => {
    const { transfers } = setup();
    const first = transfers.run('t-4', ({ signal }) => until(signal));
    await expect(transfers.run('t-4', async () => 'second')).rejects.toMatchObject({ code: 'CONFLICT' });
    transfers.cancel('t-4');
    await first;
    await expect(transfers.run('t-5', async () => { throw new Error('broke'); })).rejects.toThrow('broke');
    expect(transfers.active).toBe(0);
  });
});
