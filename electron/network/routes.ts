import type { networkChannels } from '../../shared/channels/network.js';
import type { RoutesOf } from '../router.js';
import type { NetworkService } from './network-service.js';

export function createNetworkRoutes(network: NetworkService): RoutesOf<typeof networkChannels> {
  return {
    'network.helper': ({ hostId }) => network.helper(hostId),
    'network.status': ({ hostId }) => network.status(hostId),
    'network.install': ({ hostId, sudoPassword }) => network.install(hostId, sudoPassword),
    'network.uninstall': ({ hostId, sudoPassword }) => network.uninstall(hostId, sudoPassword),
    'network.list': ({ hostId }) => network.list(hostId),
  };
}
