import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore } from '../../../support/test-core';
import { ensureKeyUser, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../../../support/test-core';
import { installFirecrackerFor } from '../../../support/vm-fixtures';

const user = 'fdvm-sessions';
let host: TestHost;
let images: Awaited<ReturnType<typeof installFirecrackerFor>>;
let t: TestCore;

beforeAll(async () => {
  await ensureKeyUser(user);
  images = await installFirecrackerFor(user);
  // sshd allows two sessions per connection here; OpenSSH's default is 10.
  host = await startTestHost({ address: '127.0.0.103', users: [user], maxSessions: 2 });
  t = await startTestCore({ vmStopTimeoutMs: 3_000 });
});
afterAll(async () => {
  await t.close();
  await host.stop();
  try {
    execFileSync('pkill', ['-9', '-u', user, '-f', 'firedeck/vms/'], { stdio: 'ignore' });
  } catch {
    // nothing left
  }
});

describe('a host with MaxSessions 2', () => {
  it('10 stops in a row all succeed', async () => {
    const hostId = await connectTestHost(t, host, { user });
    const ids = Array.from({ length: 10 }, (_, i) => `sess-${i}`);
    for (const id of ids) await t.call('vms.create', { hostId, id, vcpus: 1, memoryMib: 128, kernel: images.kernel, rootfs: images.rootfs });
    // A console holds a session for as long as it is open, and must not starve the stops.
    const { sessionId } = await t.call('vms.consoleOpen', { hostId, id: 'sess-0' });
    const results = await Promise.allSettled(ids.map((id) => t.call('vms.stop', { hostId, id })));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.state : String(r.reason)))).toEqual(ids.map(() => 'stopped'));
    console.log('channels on the MaxSessions 2 host while a console and 10 stops ran:', JSON.stringify(t.core.hosts.connection(hostId).usage()));
    await t.call('vms.consoleClose', { sessionId });
    const listed = (await t.call('vms.list')).filter((vm) => vm.hostId === hostId);
    expect(listed.map((vm) => vm.state)).toEqual(ids.map(() => 'stopped'));
    for (const id of ids) await t.call('vms.delete', { hostId, id });
  });
});
