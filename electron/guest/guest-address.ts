import { AppError } from '../app-error.js';
import type { NetworkService } from '../network/network-service.js';
import type { GuestAddressResolver } from './guest-service.js';

/**
 * Where the host reaches a guest's sshd: block .2 of the VM's /30 in the pool, which the host
 * DNATs to the guest's port 22 (see electron/network). Asked of the host at connect time.
 * When no address is found the error says why: a helper that cannot be used (its own problem,
 * so the user fixes that and not the VM), a network that lost its veth, or no network at all.
 */
export function networkGuestAddress(network: Pick<NetworkService, 'list'>): GuestAddressResolver {
  return async (hostId, vmId) => {
    const { networks, helper } = await network.list(hostId);
    const found = networks.find((n) => n.vmId === vmId);
    if (found?.hostAddress) return { host: found.hostAddress, port: 22 };
    if (!helper.verified && helper.problem) {
      throw new AppError(helper.problem.code, `Firedeck cannot read microVM ${vmId}’s network, so it cannot open SSH in it: ${helper.problem.message}`, {
        remedy: helper.problem.remedy ?? 'Open the host page and check its network helper.',
      });
    }
    if (found) {
      throw new AppError('GUEST_NO_ADDRESS', `microVM ${vmId}’s network on its host is incomplete (its veth is gone), so Firedeck cannot open SSH in it.`, {
        remedy: 'Stop and start the microVM: starting makes its network again. Until then the serial console works.',
      });
    }
    throw new AppError('GUEST_NO_ADDRESS', `microVM ${vmId} has no network its host can reach, so Firedeck cannot open SSH in it.`, {
      remedy: 'Create the microVM with networking on (the host needs the Firedeck network helper: see its host page), or use the serial console.',
    });
  };
}
