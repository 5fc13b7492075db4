import { describe, expect, it } from 'vitest';
import type { HostSummary } from '../../../../shared/channels/hosts';
import type { VmSummary } from '../../../../shared/channels/vms';
import { createAppStore } from '../../../../renderer/store/store';
import { actionFailure, lastSeen, notConnectedReason, selectUnlistedHosts, vmKey, vmUnavailable } from '../../../../renderer/store/vms-slice';
import type { ConsoleStatus } from '../../../../renderer/store/vms-slice';
import { createFakeApi } from '../../../support/fake-api';

const vm = (id: string, extra: Partial<VmSummary> = {}): VmSummary => ({ hostId: 'h1', id, state: 'running', vcpus: 1, memoryMib: 128, kernel: 'k', rootfs: 'r', ...extra });
const host = (id: string, label: string, connection: HostSummary['connection']): HostSummary =>
  ({ id, label, address: '192.0.2.1', port: 22, user: 'u', auth: { method: 'agent' }, transport: 'ssh-unix', createdAt: '', connection, secretRemembered: false }) as HostSummary;
const lost = { code: 'SSH_CONNECTION_LOST' as const, message: 'The SSH connection to build was lost.' };

describe('vms slice', () => {
  it('keeps each failed action on the VM it concerns, until the next action or a dismissal', async () => {
    const fake = createFakeApi({
      'vms.stop': (ref) => ((ref as { id: string }).id === 'b' ? { error: { code: 'SSH_CHANNEL_FAILED', message: 'build refused to run a command.', remedy: 'Try again in a moment.' } } : vm('a', { state: 'stopped' })),
    });
    const store = createAppStore(fake.api);
    await Promise.all([store.getState().vms.act(vm('a'), 'stop'), store.getState().vms.act(vm('b'), 'stop')]);
    const errors = store.getState().vms.errors;
    expect(errors[vmKey(vm('a'))]).toBeUndefined();
    expect(actionFailure(errors[vmKey(vm('b'))]!)).toBe('Stop failed: build refused to run a command.');
    expect(store.getState().vms.byKey[vmKey(vm('a'))]).toMatchObject({ state: 'stopped' });
    store.getState().vms.dismissError(vmKey(vm('b')));
    expect(store.getState().vms.errors[vmKey(vm('b'))]).toBeUndefined();
  });

  it('reports a console’s reconnects and its close, so the page can offer Reconnect', async () => {
    const fake = createFakeApi({ 'vms.consoleOpen': () => ({ sessionId: 's-1' }), 'vms.consoleClose': () => ({ closed: true }) });
    const store = createAppStore(fake.api);
    const seen: ConsoleStatus['state'][] = [];
    const output: string[] = [];
    const session = store.getState().vms.openConsole(vm('a'), { onOutput: (d) => output.push(d), onStatus: (s) => seen.push(s.state) });
    await Promise.resolve();
    await Promise.resolve();
    fake.emit('vms.consoleOutput', { sessionId: 'other', data: 'not mine' });
    fake.emit('vms.consoleOutput', { sessionId: 's-1', data: 'login: ' });
    fake.emit('vms.consoleStateChanged', { sessionId: 's-1', state: 'reconnecting', message: 'reconnecting…' });
    fake.emit('vms.consoleStateChanged', { sessionId: 's-1', state: 'connected', message: 'Reconnected' });
    fake.emit('vms.consoleClosed', { sessionId: 's-1', reason: 'closed after 15 min without use' });
    expect(output).toEqual(['login: ']);
    expect(seen).toEqual(['connecting', 'connected', 'reconnecting', 'connected', 'closed']);
    session.close();
    expect(fake.calls.at(-1)).toEqual({ channel: 'vms.consoleClose', input: { sessionId: 's-1' } });
  });
});

describe('what the list says about hosts and VMs it cannot ask', () => {
  it('a VM is unavailable while it is only last seen, or while its host is not connected', () => {
    const connected = host('h1', 'build', { state: 'connected', since: '' });
    expect(vmUnavailable(vm('a'), connected)).toBeNull();
    expect(vmUnavailable(vm('a', { offline: { lastSeenAt: '2026-01-01T10:00:00Z', message: 'build cannot be reached: lost.' } }), connected)).toMatchObject({ message: 'build cannot be reached: lost.' });
    expect(vmUnavailable(vm('a'), host('h1', 'build', { state: 'disconnected' }))).toMatchObject({ message: 'build is not connected.' });
    expect(vmUnavailable(vm('a'), undefined)).not.toBeNull();
  });

  it('lists the hosts that are not connected, with why, so "none" is never said for them', async () => {
    const fake = createFakeApi({
      'hosts.list': () => [
        host('h1', 'build', { state: 'connected', since: '' }),
        host('h2', 'kvm box', { state: 'disconnected' }),
        host('h3', 'arm', { state: 'reconnecting', attempt: 2, retryAt: '', error: lost }),
        host('h4', 'old', { state: 'failed', error: { code: 'AUTH_FAILED', message: 'The host refused the key.' } }),
      ],
    });
    const store = createAppStore(fake.api);
    await store.getState().hosts.load();
    const unlisted = selectUnlistedHosts(store.getState());
    expect(unlisted.map((h) => [h.label, notConnectedReason(h)])).toEqual([
      ['arm', expect.stringContaining('reconnecting')],
      ['kvm box', 'not connected'],
      ['old', 'The host refused the key.'],
    ]);
    // The store's own summaries: a selector with useShallow stays stable between renders.
    expect(selectUnlistedHosts(store.getState())).toEqual(unlisted);
    expect(selectUnlistedHosts(store.getState())[0]).toBe(unlisted[0]);
  });

  it('says when a VM was last seen, and how long ago', () => {
    expect(lastSeen('2026-01-03T04:55:00Z', Date.parse('2026-01-03T05:00:00Z'))).toMatch(/^last seen .+ \(5 min ago\)$/);
  });
});
