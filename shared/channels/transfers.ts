import { z } from 'zod';
import { channel } from '../channel.js';

export const transfersChannels = {
  /**
   * Cancels a running copy to a host (a workspace push, an image import) by the id the window
   * gave it; nothing of it is left on the host. Progress arrives as `transfers.progressed`.
   */
  'transfers.cancel': channel<{ cancelled: boolean }>()(z.object({ transferId: z.string().uuid() }).strict()),
};
