import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/app-error';
import type { NetworkService } from '../../../../electron/network/network-service';
import { createNetworkRoutes, sudoSecretId } from '../../../../electron/network/routes';

/** Secrets as the store keeps them: only remembered ones are there. */
function fakeSecrets() {
  const kept = new Map<string, string>();
  return {
    kept,
    get: async (id: string) => kept.get(id),
    set: async (id: string, secret: string, remember: boolean) => void (remember && kept.set(id, secret)),
    forget: async (id: string) => void kept.delete(id),
    isRemembered: (id: string) => kept.has(id),
  };
}

function fakeNetwork(correct: string) {
  const passwords: (string | undefined)[] = [];
  const install = async (_h: string, password?: string) => {
    passwords.push(password);
    if (password === undefined) throw new AppError('SUDO_REQUIRED', 'sudo asks for a password.');
    if (password !== correct) throw new AppError('SUDO_PASSWORD_WRONG', 'sudo refused the password.');
    return { hostId: 'h1', installed: true, verified: true, path: '/p', sudoersPath: '/s', sudoersInstalled: true };
  };
  return { passwords, network: { install, uninstall: install } as unknown as NetworkService };
}

const caller = { ownerId: 'w' };
const HOST = '6f0c8a5e-8d4b-4c8e-9a51-3d2f1b0c7e11';

describe('network routes and the sudo password', () => {
  it('keeps a typed password only when Remember is ticked, uses it next time, and forgets it once sudo refuses it', async () => {
    const secrets = fakeSecrets();
    const { network, passwords } = fakeNetwork('right');
    const routes = createNetworkRoutes(network, secrets);
    await routes['network.install']({ hostId: HOST, sudoPassword: 'right' }, caller);
    expect(secrets.kept.size).toBe(0);
    await routes['network.install']({ hostId: HOST, sudoPassword: 'right', remember: true }, caller);
    expect(secrets.kept.get(sudoSecretId(HOST))).toBe('right');
    await routes['network.uninstall']({ hostId: HOST }, caller);
    expect(passwords.at(-1)).toBe('right');
    secrets.kept.set(sudoSecretId(HOST), 'changed-since');
    await expect(routes['network.install']({ hostId: HOST }, caller)).rejects.toMatchObject({ code: 'SUDO_PASSWORD_WRONG' });
    expect(secrets.kept.size).toBe(0);
    await expect(routes['network.install']({ hostId: HOST }, caller)).rejects.toMatchObject({ code: 'SUDO_REQUIRED' });
  });
});
