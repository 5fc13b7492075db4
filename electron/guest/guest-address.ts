import { AppError } from '../app-error.js';
import type { NetworkService } from '../network/network-service.js';
import type { GuestAddressResolver } from './guest-service.js';

/**
 * Where the host reaches a guest's sshd: block .2 of the VM's /30 in the pool, which the host
 * DNATs to the guest's port 22 (see electron/network). Asked of the host at connect time.
 */
export function networkGuestAddress(network: Pick<NetworkService, 'list'>): GuestAddressResolver {
  return async (hostId, vmId) => {
    const { networks } = await network.list(hostId);
    const found = networks.find((n) => n.vmId === vmId);
    if (!found?.hostAddress) {
      throw new AppError('GUEST_NO_ADDRESS', `microVM ${vmId} has no network its host can reach, so Firedeck cannot open SSH in it.`, {
        remedy: 'Create the microVM with networking on (the host needs the Firedeck network helper: see its host page), or use the serial console.',
      });
    }
    return { host: found.hostAddress, port: 22 };
  };
}
