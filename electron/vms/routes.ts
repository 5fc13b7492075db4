import type { HandlersFor } from '../router.js';
import type { VmService } from './vm-service.js';

type VmChannel =
  | 'vms.list'
  | 'vms.create'
  | 'vms.pause'
  | 'vms.resume'
  | 'vms.stop'
  | 'vms.kill'
  | 'vms.delete'
  | 'vms.snapshot'
  | 'vms.restore'
  | 'vms.getConfig'
  | 'vms.consoleOpen'
  | 'vms.consoleInput'
  | 'vms.consoleClose';

export function createVmRoutes(vms: VmService): HandlersFor<VmChannel> {
  return {
    'vms.list': () => vms.list(),
    'vms.create': (request) => vms.create(request),
    'vms.pause': (ref) => vms.pause(ref),
    'vms.resume': (ref) => vms.resume(ref),
    'vms.stop': (ref) => vms.stop(ref),
    'vms.kill': (ref) => vms.kill(ref),
    'vms.delete': async (ref) => ({ deleted: await vms.remove(ref) }),
    'vms.snapshot': (ref) => vms.snapshot(ref),
    'vms.restore': ({ hostId, id, newId }) => vms.restore({ hostId, id }, newId),
    'vms.getConfig': (ref) => vms.getConfig(ref),
    'vms.consoleOpen': (ref) => vms.consoleOpen(ref),
    'vms.consoleInput': ({ sessionId, data }) => ({ sent: vms.consoleInput(sessionId, data) }),
    'vms.consoleClose': ({ sessionId }) => ({ closed: vms.consoleClose(sessionId) }),
  };
}
