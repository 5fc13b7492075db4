import type { hostsChannels } from '../../shared/channels/hosts.js';
import type { RoutesOf } from '../router.js';
import type { HostService } from './host-service.js';

export function createHostRoutes(hosts: HostService): RoutesOf<typeof hostsChannels> {
  return {
    'hosts.list': () => hosts.list(),
    'hosts.add': (config) => hosts.add(config),
    'hosts.update': ({ id, host }) => hosts.update(id, host),
    'hosts.remove': async ({ id }) => ({ removed: await hosts.remove(id) }),
    'hosts.connect': ({ id, secret, remember }) => hosts.connect(id, secret === undefined ? undefined : { value: secret, remember }),
    'hosts.disconnect': ({ id }) => hosts.disconnect(id),
    'hosts.trustKey': ({ id, fingerprint, replace }) => hosts.trustKey(id, fingerprint, replace),
    'hosts.probe': ({ id }) => hosts.probe(id),
    'hosts.forgetSecret': ({ id }) => hosts.forgetSecret(id),
    'hosts.importSshConfig': () => hosts.importSshConfig(),
  };
}
