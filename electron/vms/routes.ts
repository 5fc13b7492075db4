import type { vmsChannels } from '../../shared/channels/vms.js';
import type { RoutesOf } from '../router.js';
import type { VmService } from './vm-service.js';

export function createVmRoutes(vms: VmService): RoutesOf<typeof vmsChannels> {
  return {
    'vms.list': () => vms.list(),
    'vms.create': (request) => vms.create(request),
    'vms.pause': (ref) => vms.pause(ref),
    'vms.resume': (ref) => vms.resume(ref),
    'vms.stop': (ref) => vms.stop(ref),
    'vms.kill': (ref) => vms.kill(ref),
    'vms.delete': async (ref) => ({ deleted: await vms.remove(ref) }),
    'vms.snapshot': ({ hostId, id, name }) => vms.snapshot({ hostId, id }, name),
    'vms.snapshots': (ref) => vms.snapshots(ref),
    'vms.snapshotDelete': async ({ hostId, id, snapshot }) => ({ deleted: await vms.snapshotDelete({ hostId, id }, snapshot) }),
    'vms.restore': ({ hostId, id, newId, snapshot }) => vms.restore({ hostId, id }, newId, snapshot),
    'vms.rollback': ({ hostId, id, snapshot }) => vms.rollback({ hostId, id }, snapshot),
    'vms.getConfig': (ref) => vms.getConfig(ref),
    'vms.consoleOpen': (ref, caller) => vms.consoleOpen(ref, caller),
    'vms.consoleInput': ({ sessionId, data }, caller) => ({ sent: vms.consoleInput(sessionId, data, caller) }),
    'vms.consoleClose': ({ sessionId }, caller) => ({ closed: vms.consoleClose(sessionId, caller) }),
  };
}
