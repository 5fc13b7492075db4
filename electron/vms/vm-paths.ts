import { posix } from 'node:path';

/**
 * Where one microVM lives on its host: everything the app needs to find it again after a restart.
 * The file names are the ones the host scripts (electron/host-scripts/vm-*.sh) use inside DIR.
 */
export interface VmPaths {
  dir: string;
  socket: string;
  log: string;
  /** Firecracker's own log, kept out of the console log so the console shows only the guest. */
  fcLog: string;
  fifo: string;
  pid: string;
  config: string;
  /** The folder of named snapshots: `snapshots/NAME/{state,mem,rootfs.ext4,disk,info}`. */
  snapshotsDir: string;
  /** The VM's own root disk, a copy of its image. */
  disk: string;
}

/**
 * The root drive as Firecracker is given it: relative to the run directory, Firecracker's cwd, so
 * a snapshot (which records the path) restored into another run directory opens that one's disk.
 */
export const ROOT_DISK = 'rootfs.ext4';

/** Unix socket paths are limited to 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH = 107;

/** The folder holding every run directory, under the host's ~/.firedeck. */
export const vmsDir = (firedeckDir: string): string => posix.join(firedeckDir, 'vms');

export function vmPaths(firedeckDir: string, id: string): VmPaths {
  const dir = posix.join(vmsDir(firedeckDir), id);
  return {
    dir,
    socket: `${dir}/api.sock`,
    log: `${dir}/console.log`,
    fcLog: `${dir}/firecracker.log`,
    fifo: `${dir}/console.in`,
    pid: `${dir}/firecracker.pid`,
    config: `${dir}/config.json`,
    snapshotsDir: `${dir}/snapshots`,
    disk: `${dir}/${ROOT_DISK}`,
  };
}
