import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createGuestLinks } from '../../../../electron/guest/guest-links';
import type { SshClient } from '../../../../electron/ssh/ssh2';

/** Stands in for an ssh2 client: `end()` closes it. */
function fakeClient() {
  const client = new EventEmitter() as EventEmitter & { ended: number; end(): void };
  client.ended = 0;
  client.end = () => {
    client.ended += 1;
    client.emit('close');
  };
  return client;
}

describe('guest links', () => {
  it('shares one connection per guest and closes it when the last lease is given back', async () => {
    const links = createGuestLinks();
    const client = fakeClient();
    let opened = 0;
    const open = () => {
      opened += 1;
      return Promise.resolve(client as unknown as SshClient);
    };
    const [a, b] = await Promise.all([links.acquire('h/vm', open), links.acquire('h/vm', open)]);
    expect(opened).toBe(1);
    a.release();
    a.release(); // twice is once
    expect(client.ended).toBe(0);
    b.release();
    expect(client.ended).toBe(1);
    expect(links.size).toBe(0);
  });

  it('tells the holders when the VM closes, and opens a new connection afterwards', async () => {
    const links = createGuestLinks();
    const clients = [fakeClient(), fakeClient()];
    const open = () => Promise.resolve(clients.shift() as unknown as SshClient);
    const held = await links.acquire('h/vm', open);
    const reasons: string[] = [];
    held.onClose((reason) => reasons.push(reason));
    links.close('h/vm', 'the microVM stopped');
    expect(reasons).toEqual(['the microVM stopped']);
    expect(held.closed).toBe(true);
    const again = await links.acquire('h/vm', open);
    expect(again.closed).toBe(false);
    expect(again.client).not.toBe(held.client);
  });

  it('forgets a connection that failed to open, so the next use tries again', async () => {
    const links = createGuestLinks();
    await expect(links.acquire('h/vm', () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    const client = fakeClient();
    const held = await links.acquire('h/vm', () => Promise.resolve(client as unknown as SshClient));
    expect(held.client).toBe(client);
  });
});
