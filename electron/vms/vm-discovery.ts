import vmDiscoverSource from '../host-scripts/vm-discover.sh';
import { vmIdSchema } from '../../shared/ids.js';
import { hostScript } from '../ssh/host-script.js';

/** VMS_DIR — every microVM of the host in one round trip (see vm-discover.sh for the records). */
export const vmDiscover = hostScript({ name: 'vm-discover', source: vmDiscoverSource, what: 'Listing the microVMs' });

export interface DiscoveredVm {
  id: string;
  alive: boolean;
  stopped: boolean;
  config?: unknown;
  startedAt?: string;
  lastLog?: string[];
  bridgePort?: number;
  /** The VM's own disk (vm-disk-create.sh): the image's SHA-256 and the disk's size. */
  disk?: { imageSha256: string; bytes: number };
}

/**
 * Reads vm-discover.sh's records. Only ids that follow the VM-id rule are accepted, so nothing a
 * file on the host holds can make up a VM (the script skips such names too).
 */
export function parseDiscovery(output: string): DiscoveredVm[] {
  const vms: DiscoveredVm[] = [];
  let current: DiscoveredVm | undefined;
  for (const line of output.split('\n')) {
    const space = line.indexOf(' ');
    const key = space === -1 ? line : line.slice(0, space);
    const value = space === -1 ? '' : line.slice(space + 1).trim();
    if (key === '@vm') {
      current = vmIdSchema.safeParse(value).success && !vms.some((vm) => vm.id === value) ? { id: value, alive: false, stopped: false } : undefined;
      if (current) vms.push(current);
      continue;
    }
    if (!current) continue;
    if (key === 'alive') current.alive = value === 'yes';
    if (key === 'stopped') current.stopped = value === 'yes';
    if (key === 'config' && value) {
      try {
        current.config = JSON.parse(value);
        const createdAt = (current.config as { createdAt?: unknown } | null)?.createdAt;
        if (typeof createdAt === 'string') current.startedAt = createdAt;
      } catch {
        // a damaged config.json: the VM is still listed, with what can be known
      }
    }
    if (key === 'log' && value) current.lastLog = Buffer.from(value, 'base64').toString('utf8').split('\n').filter((l) => l !== '');
    const disk = key === 'disk' ? /^([0-9a-f]{64}) (\d{1,20})$/.exec(value) : null;
    if (disk) current.disk = { imageSha256: disk[1]!, bytes: Number(disk[2]) };
    if (key === 'bridge' && /^\d{1,5}$/.test(value)) current.bridgePort = Number(value);
  }
  return vms;
}
