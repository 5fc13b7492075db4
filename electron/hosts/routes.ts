import type { HandlersFor } from '../router.js';
import type { HostService } from './host-service.js';

type HostChannel =
  | 'hosts.list'
  | 'hosts.add'
  | 'hosts.update'
  | 'hosts.remove'
  | 'hosts.connect'
  | 'hosts.disconnect'
  | 'hosts.trustKey'
  | 'hosts.probe'
  | 'hosts.forgetSecret'
  | 'hosts.importSshConfig';

export function createHostRoutes(hosts: HostService): HandlersFor<HostChannel> {
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
