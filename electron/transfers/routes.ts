import type { transfersChannels } from '../../shared/channels/transfers.js';
import type { RoutesOf } from '../router.js';
import type { TransferRegistry } from './transfer-registry.js';

export function createTransferRoutes(transfers: TransferRegistry): RoutesOf<typeof transfersChannels> {
  return {
    'transfers.cancel': ({ transferId }) => ({ cancelled: transfers.cancel(transferId) }),
  };
}
