import { posix } from 'node:path';
import type { HostImages, InstalledImage } from '../../shared/channels/images.js';
import { AppError } from '../app-error.js';
import type { HostService } from '../hosts/host-service.js';
import { shq } from '../ssh/shell-quote.js';

export interface ImageService {
  listInstalled(hostId: string): Promise<HostImages>;
}

/**
 * Images live per architecture on each host (`~/.firedeck/images/ARCH/`), so a host is only
 * ever offered kernels and root filesystems built for it.
 */
export function createImageService(deps: { hosts: HostService }): ImageService {
  return {
    async listInstalled(hostId) {
      const host = deps.hosts.list().find((h) => h.id === hostId);
      if (!host) throw new AppError('NOT_FOUND', 'That host no longer exists.');
      const probe = host.probe ?? (await deps.hosts.probe(hostId));
      if (!probe.arch) throw new AppError('HOST_UNSUPPORTED', `${host.label} is a ${probe.machine} machine; Firecracker runs on x86_64 and aarch64 only.`);
      const dir = posix.join(probe.firedeckDir, 'images', probe.arch);
      const result = await deps.hosts.connection(hostId).exec(
        `cd -- ${shq(dir)} 2>/dev/null || exit 0\nfor f in *; do [ -f "$f" ] && printf '%s\\t%s\\n' "$(stat -c %s -- "$f")" "$f"; done; true`,
        { timeoutMs: 30_000 },
      );
      const images: InstalledImage[] = [];
      for (const line of result.output.split('\n')) {
        const [size, ...rest] = line.split('\t');
        const name = rest.join('\t');
        if (!name || name.endsWith('.sha256') || name.endsWith('.part')) continue;
        const kind = /^(vmlinux|Image|bzImage)/.test(name) ? 'kernel' : /\.(ext4|img|raw)$/.test(name) ? 'rootfs' : null;
        if (kind) images.push({ name, path: posix.join(dir, name), kind, sizeBytes: Number(size) });
      }
      return { hostId, arch: probe.arch, dir, images };
    },
  };
}
