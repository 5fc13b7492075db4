import type { jailChannels } from '../../shared/channels/jail.js';
import type { RoutesOf } from '../router.js';
import type { JailService } from './jail-service.js';

export function createJailRoutes(jails: JailService): RoutesOf<typeof jailChannels> {
  return {
    'jail.list': ({ hostId }) => jails.list(hostId),
  };
}
