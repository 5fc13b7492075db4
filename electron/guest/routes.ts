import type { guestChannels } from '../../shared/channels/guest.js';
import type { RoutesOf } from '../router.js';
import type { GuestService } from './guest-service.js';

export function createGuestRoutes(guest: GuestService): RoutesOf<typeof guestChannels> {
  return {
    'guest.status': (ref) => guest.status(ref),
    'guest.terminalOpen': ({ cols, rows, ...ref }, caller) => guest.terminalOpen(ref, { cols, rows }, caller),
    'guest.terminalInput': ({ sessionId, data }, caller) => ({ sent: guest.terminalInput(sessionId, data, caller) }),
    'guest.terminalResize': ({ sessionId, cols, rows }, caller) => ({ resized: guest.terminalResize(sessionId, { cols, rows }, caller) }),
    'guest.terminalClose': ({ sessionId }, caller) => ({ closed: guest.terminalClose(sessionId, caller) }),
    'guest.exec': ({ execId, command, ...ref }, caller) => guest.exec(ref, execId, command, caller),
    'guest.execCancel': ({ execId }, caller) => ({ cancelled: guest.execCancel(execId, caller) }),
    'guest.copyIn': (request) => guest.copyIn(request),
    'guest.copyOut': (request) => guest.copyOut(request),
    'guest.syncPreview': (request, caller) => guest.syncPreview(request, caller),
    'guest.sync': (request, caller) => guest.sync(request, caller),
    'guest.listeningPorts': (ref) => guest.listeningPorts(ref),
    'guest.forwardAdd': ({ guestPort, localPort, ...ref }, caller) => guest.forwardAdd(ref, guestPort, localPort, caller),
    'guest.forwardList': (ref, caller) => guest.forwardList(ref, caller),
    'guest.forwardRemove': ({ forwardId }, caller) => ({ removed: guest.forwardRemove(forwardId, caller) }),
    'guest.sshCommand': (ref) => guest.sshCommand(ref),
    'guest.forgetHostKey': async (ref) => ({ forgotten: await guest.forgetHostKey(ref) }),
  };
}
