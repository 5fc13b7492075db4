import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../shared/channels/settings';
import { AppError } from '../../../../electron/app-error';
import { createEventBus } from '../../../../electron/event-bus';
import type { HostService } from '../../../../electron/hosts/host-service';
import type { SettingsService } from '../../../../electron/settings/settings-service';
import type { HostConnection } from '../../../../electron/ssh/host-connection';
import { createTransferRegistry } from '../../../../electron/transfers/transfer-registry';
import { createWizardService } from '../../../../electron/wizard/wizard-service';

const KNOWN = '11111111-1111-4111-8111-111111111111';

/** A wizard whose host connects with `connect` (the first step); everything else is never reached. */
function wizard(connect: () => Promise<unknown>) {
  const logged: { message: string; error: unknown }[] = [];
  const events = createEventBus();
  const hosts = {
    connection(id: string) {
      if (id !== KNOWN) throw new AppError('NOT_FOUND', `There is no host ${id}.`);
      return {} as HostConnection;
    },
    connect,
    probe: async () => {
      throw new AppError('HOST_NOT_CONNECTED', 'not connected');
    },
  } as unknown as HostService;
  const service = createWizardService({
    hosts,
    settings: { get: async () => defaultSettings } as unknown as SettingsService,
    images: { catalog: async () => [] },
    transfers: createTransferRegistry({ events }),
    events,
    guestPublicKey: async () => 'ssh-ed25519 AAAA firedeck-guest',
    log: { error: (message: string, error: unknown) => logged.push({ message, error }) },
  });
  return { service, logged, events };
}

describe('wizard service', () => {
  it('an unexpected error is logged in full and shown in general terms, and the host can run again', async () => {
    const { service, logged } = wizard(async () => {
      throw new Error("EACCES: permission denied, open '/Users/me/Library/secret'");
    });
    const report = await service.run(KNOWN, {});
    const failed = report.steps.find((s) => s.status === 'failed')!;
    expect(failed).toMatchObject({ name: 'host.connect', error: { code: 'INTERNAL', message: expect.stringContaining('Firedeck’s log') } });
    expect(JSON.stringify(report)).not.toContain('/Users/me');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.message).toContain('host.connect');
    expect((logged[0]!.error as Error).message).toContain('/Users/me/Library/secret');
    expect((await service.run(KNOWN, {})).running).toBe(false);
  });

  it('an AppError is shown as it is, with the step named', async () => {
    const { service, logged } = wizard(async () => {
      throw new AppError('AUTH_FAILED', 'The host refused the key.', { remedy: 'Check the key.' });
    });
    const failed = (await service.run(KNOWN, {})).steps.find((s) => s.status === 'failed')!;
    expect(failed.error).toMatchObject({ code: 'AUTH_FAILED', message: 'The host refused the key. (step host.connect)', remedy: 'Check the key.' });
    expect(logged).toEqual([]);
  });

  it('an unknown host is NOT_FOUND every time, never CONFLICT, and leaves no report', async () => {
    const { service } = wizard(async () => {});
    const unknown = '22222222-2222-4222-8222-222222222222';
    for (let i = 0; i < 3; i++) await expect(service.run(unknown, {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(service.report(unknown)).toBeNull();
    expect(service.cancel(unknown)).toBe(false);
  });

  it('a second run while one is under way is refused, and the first can be cancelled', async () => {
    let release!: () => void;
    const { service } = wizard(() => new Promise<void>((resolve) => (release = resolve)));
    const first = service.run(KNOWN, {});
    await expect(service.run(KNOWN, {})).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(service.cancel(KNOWN)).toBe(true);
    release();
    const report = await first;
    expect(report.steps.find((s) => s.status === 'failed')?.error).toMatchObject({ code: 'CANCELLED' });
  });

  it('forgets the report of a removed host', async () => {
    const { service, events } = wizard(async () => {
      throw new AppError('AUTH_FAILED', 'no');
    });
    await service.run(KNOWN, {});
    expect(service.report(KNOWN)).not.toBeNull();
    events.emit('hosts.removed', { id: KNOWN });
    expect(service.report(KNOWN)).toBeNull();
  });
});
