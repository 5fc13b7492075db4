import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientChannel } from '../../../../electron/ssh/ssh2';
import type { HostConnection } from '../../../../electron/ssh/host-connection';
import { ensureKeyUser, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';

// A host whose sshd allows two sessions per connection (MaxSessions 2), where 8 of 10 stops
// clicked in a row used to fail and two open consoles starved every other command.

let user: string;
let host: TestHost;
let t: TestCore;
let connection: HostConnection;

beforeAll(async () => {
  user = await ensureKeyUser('fdssh-sess');
  host = await startTestHost({ address: '127.0.0.72', users: [user], maxSessions: 2 });
});
afterAll(() => host.stop());
beforeEach(async () => {
  t = await startTestCore();
  connection = t.core.hosts.connection(await connectTestHost(t, host, { user }));
});
afterEach(() => t.close());

/** A console-like session: `cat` echoing what is written to it, open until closed. */
const openEcho = () =>
  connection.openStream('session', (client) => new Promise<ClientChannel>((resolve, reject) => client.exec('exec cat', (error, channel) => (error ? reject(error) : resolve(channel)))));

/** Writes a line to an echo stream and resolves with what comes back. */
function roundTrip(stream: ClientChannel, line: string): Promise<string> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (!seen.includes('\n')) return;
      stream.off('data', onData);
      resolve(seen.trim());
    };
    stream.on('data', onData);
    stream.write(`${line}\n`);
  });
}

/** Closes a channel as a console does when its view goes, and waits until it has. */
const closed = (stream: ClientChannel) =>
  new Promise<void>((resolve) => {
    stream.once('close', () => resolve());
    stream.resume(); // ssh2 emits 'close' once what the channel received has been read
    stream.close();
  });

describe('a host with MaxSessions 2', () => {
  it('runs 10 commands fired at once, learning that the host allows two sessions', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => connection.exec(`sleep 0.2; echo ${i}`)));
    expect(results.map((r) => r.output.trim())).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
    expect(connection.usage().links).toEqual([expect.objectContaining({ main: true, limit: 2, learned: true, peak: 2 })]);
  });

  it('runs 10 commands and 2 long-lived streams at once, and commands still run while both streams stay open', async () => {
    const [streams, results] = await Promise.all([
      Promise.all([openEcho(), openEcho()]),
      Promise.all(Array.from({ length: 10 }, (_, i) => connection.exec(`sleep 0.1; echo ${i}`))),
    ]);
    expect(results.map((r) => r.output.trim())).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
    expect(await Promise.all(streams.map((s, i) => roundTrip(s, `console ${i}`)))).toEqual(['console 0', 'console 1']);

    // Both streams are open: short commands are not starved.
    const during = await Promise.all(Array.from({ length: 5 }, (_, i) => connection.exec(`echo during-${i}`)));
    expect(during.map((r) => r.output.trim())).toEqual(Array.from({ length: 5 }, (_, i) => `during-${i}`));
    const usage = connection.usage();
    expect(usage.links.reduce((sum, l) => sum + l.streams, 0)).toBe(2);
    // Streams never take the main connection's last session.
    const mainLink = usage.links.find((l) => l.main)!;
    expect(mainLink.streams).toBeLessThan(mainLink.limit);
    expect(usage.connections).toBeGreaterThanOrEqual(2);

    await Promise.all(streams.map(closed));
    // The connection opened for the streams goes once they have closed.
    await expect.poll(() => connection.usage().connections, { timeout: 10_000 }).toBe(1);
    expect((await connection.exec('echo after')).output.trim()).toBe('after');
  });

  it('two streams opened together on a connection known to hold two sessions leave one for commands', async () => {
    await Promise.all(Array.from({ length: 4 }, () => connection.exec('sleep 0.1')));
    expect(connection.usage().links[0]).toMatchObject({ main: true, peak: 2 });
    const streams = await Promise.all([openEcho(), openEcho()]);
    const mainLink = connection.usage().links.find((l) => l.main)!;
    expect(mainLink.streams).toBe(1);
    expect((await connection.exec('echo room')).output.trim()).toBe('room');
    await Promise.all(streams.map(closed));
  });

  it('opens as many streams as there are consoles, each on a connection with room', async () => {
    const streams = await Promise.all(Array.from({ length: 5 }, () => openEcho()));
    expect(await Promise.all(streams.map((s, i) => roundTrip(s, `c${i}`)))).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect((await connection.exec('echo still')).output.trim()).toBe('still');
    const usage = connection.usage();
    for (const link of usage.links) expect(link.sessions).toBeLessThanOrEqual(2);
    await Promise.all(streams.map(closed));
  });

  it('forwarded channels take no session', async () => {
    // direct-tcpip back to the host's own sshd: a forward, as an ssh-unix API connection is.
    const forwards = await Promise.all(
      Array.from({ length: 4 }, () =>
        connection.openStream(
          'forward',
          (client) => new Promise<ClientChannel>((resolve, reject) => client.forwardOut('127.0.0.1', 0, host.address, host.port, (error, channel) => (error ? reject(error) : resolve(channel)))),
        ),
      ),
    );
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => connection.exec(`echo ${i}`)));
    expect(results.map((r) => r.output.trim())).toEqual(['0', '1', '2', '3']);
    expect(connection.usage()).toMatchObject({ connections: 1, forwards: 4 });
    await Promise.all(forwards.map(closed));
    await expect.poll(() => connection.usage().forwards, { timeout: 10_000 }).toBe(0);
  });
});
