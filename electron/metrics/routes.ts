import type { metricsChannels } from '../../shared/channels/metrics.js';
import type { RoutesOf } from '../router.js';
import type { MetricsService } from './metrics-service.js';

export function createMetricsRoutes(metrics: MetricsService): RoutesOf<typeof metricsChannels> {
  return {
    'metrics.subscribe': ({ hostId }, caller) => metrics.subscribe(hostId, caller),
    'metrics.unsubscribe': ({ subscriptionId }, caller) => ({ unsubscribed: metrics.unsubscribe(subscriptionId, caller) }),
    'metrics.history': ({ hostId, vmId, sinceT }) => metrics.history(hostId, vmId, sinceT),
    'metrics.current': ({ hostId }) => metrics.current(hostId),
    'metrics.bootTimes': ({ hostId }) => metrics.bootTimes(hostId),
  };
}
