import type { networkChannels } from '../../shared/channels/network.js';
import { AppError } from '../app-error.js';
import type { RoutesOf } from '../router.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { NetworkService } from './network-service.js';

/** Where a remembered sudo password of a host is kept (encrypted, only when the user ticked Remember). */
export const sudoSecretId = (hostId: string) => `sudo:${hostId}`;

export function createNetworkRoutes(network: NetworkService, secrets?: Pick<SecretStore, 'get' | 'set' | 'forget' | 'isRemembered'>): RoutesOf<typeof networkChannels> {
  /**
   * Runs a sudo operation with the password typed now, or else the remembered one. A typed one is
   * remembered only when asked to; a remembered one sudo refuses is forgotten.
   */
  async function withSudo<T>(hostId: string, typed: string | undefined, remember: boolean | undefined, work: (password?: string) => Promise<T>): Promise<T> {
    const id = sudoSecretId(hostId);
    const remembered = typed === undefined && secrets?.isRemembered(id) ? await secrets.get(id) : undefined;
    try {
      const result = await work(typed ?? remembered);
      if (typed !== undefined && remember) await secrets?.set(id, typed, true);
      if (typed !== undefined && remember === false && secrets?.isRemembered(id)) await secrets.forget(id);
      return result;
    } catch (error) {
      if (remembered !== undefined && error instanceof AppError && error.code === 'SUDO_PASSWORD_WRONG') await secrets?.forget(id);
      throw error;
    }
  }
  return {
    'network.helper': ({ hostId }) => network.helper(hostId),
    'network.status': ({ hostId }) => network.status(hostId),
    'network.install': ({ hostId, sudoPassword, remember }) => withSudo(hostId, sudoPassword, remember, (password) => network.install(hostId, password)),
    'network.uninstall': ({ hostId, sudoPassword, remember }) => withSudo(hostId, sudoPassword, remember, (password) => network.uninstall(hostId, password)),
    'network.list': ({ hostId }) => network.list(hostId),
    'network.checkPool': ({ pool }) => network.checkPool(pool),
  };
}
