import type { ConnectionStatus } from '../api';
import { patchSlice } from './slice';
import type { SliceContext } from './slice';

export interface ConnectionSlice {
  status: ConnectionStatus;
  setStatus(status: ConnectionStatus): void;
}

export function createConnectionSlice(ctx: SliceContext): ConnectionSlice {
  return {
    status: ctx.api.status(),
    setStatus: (status) => patchSlice(ctx, 'connection', { status }),
  };
}

export interface ConnectionBanner {
  tone: 'warning' | 'error';
  title: string;
  body: string;
}

/** What the top-of-window banner says for a connection status; null when there is nothing to say. */
export function connectionBanner(status: ConnectionStatus): ConnectionBanner | null {
  switch (status.state) {
    case 'connected':
    case 'connecting':
      return null;
    case 'lost':
      return {
        tone: 'warning',
        title: 'Lost connection to the Firedeck backend',
        body: 'Firedeck keeps trying to reconnect; nothing you do here is sent until it is back. If you stopped “npm run web”, start it again and open the new address it prints.',
      };
    case 'refused':
      return status.credential === 'token'
        ? {
            tone: 'error',
            title: 'The Firedeck backend refused this tab’s access token',
            body: 'The backend was restarted: each start of “npm run web” makes a new token, and this tab still has the old one. Paste the new address it printed (the one with #token=) into this tab’s address bar; this tab then connects again.',
          }
        : {
            tone: 'error',
            title: 'This one-time link was already used',
            body: 'The link “npm run web” opens the browser with works once. Paste the address it printed in its terminal (the one with #token=) into this tab. If you did not open this link before, another program on this computer may have: stop “npm run web” and start it again.',
          };
    case 'unusable':
      return { tone: 'error', title: status.message, body: status.remedy };
  }
}
