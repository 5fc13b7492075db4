import consoleWatchSource from '../host-scripts/console-watch.sh';
import vmBridgeSource from '../host-scripts/vm-bridge.sh';
import vmDiskCreateSource from '../host-scripts/vm-disk-create.sh';
import vmKillSource from '../host-scripts/vm-kill.sh';
import vmPrepareSource from '../host-scripts/vm-prepare.sh';
import vmSnapshotDeleteSource from '../host-scripts/vm-snapshot-delete.sh';
import vmSnapshotDirSource from '../host-scripts/vm-snapshot-dir.sh';
import vmSnapshotDiskRestoreSource from '../host-scripts/vm-snapshot-disk-restore.sh';
import vmSnapshotDiskSource from '../host-scripts/vm-snapshot-disk.sh';
import vmSnapshotsListSource from '../host-scripts/vm-snapshots-list.sh';
import vmSnapshotSourceSource from '../host-scripts/vm-snapshot-source.sh';
import vmStartSource from '../host-scripts/vm-start.sh';
import { hostScript } from '../ssh/host-script.js';

/** The host operations of a microVM's life, each a shell file run with positional arguments. */

/** DIR CONFIG_JSON */
export const vmPrepare = hostScript({
  name: 'vm-prepare',
  source: vmPrepareSource,
  what: 'Creating the run directory',
  outcomes: { 17: 'exists' },
});

/** DIR FIRECRACKER ID — prints the end of the logs when Firecracker exits at once. */
export const vmStart = hostScript({
  name: 'vm-start',
  source: vmStartSource,
  what: 'Starting Firecracker',
  failures: {
    3: {
      code: 'FIRECRACKER_EXITED',
      message: ({ output }) => `Firecracker exited at once: ${output.split('\n').slice(-5).join(' / ')}`,
      remedy: 'Check the Firecracker installation on the host (Hosts → Details).',
    },
    4: { code: 'FIRECRACKER_TIMEOUT', message: 'Firecracker did not open its API socket within 5 s.', remedy: 'Check the host’s load, then try again.' },
  },
});

export type KillWhat = 'bridge' | 'vm' | 'stop' | 'delete';

/** DIR WHAT — see vm-kill.sh; `what` is one of KillWhat, so exit 2 never reaches a user. */
export const vmKill = hostScript({ name: 'vm-kill', source: vmKillSource, what: 'Stopping the microVM’s processes' });

/** DIR PORT — the LAN tcp transport's socat bridge. */
export const vmBridge = hostScript({
  name: 'vm-bridge',
  source: vmBridgeSource,
  what: 'Starting the API bridge',
  outcomes: { 5: 'port-taken' },
  failures: {
    6: { code: 'BRIDGE_FAILED', message: 'socat is not installed on the host, and the tcp transport needs it for the API bridge.', remedy: 'Run the host setup wizard (it installs socat), or choose the ssh-unix transport for this host.' },
  },
});

/** TAP */

/** DIR NAME */
export const vmSnapshotDir = hostScript({ name: 'vm-snapshot-dir', source: vmSnapshotDirSource, what: 'Creating the snapshot folder', outcomes: { 17: 'exists' } });

/** DIR NAME CREATED_AT — the disk copy and info, once memory and state are written; prints KiB. */
export const vmSnapshotDisk = hostScript({
  name: 'vm-snapshot-disk',
  source: vmSnapshotDiskSource,
  what: 'Copying the microVM’s disk into the snapshot',
  failures: { 7: { code: 'DISK_SPACE_SHORT', message: 'Copying the microVM’s disk into the snapshot failed.', remedy: 'Check free space on the host (~/.firedeck/vms), delete snapshots you no longer need, and try again.' } },
});

/** DIR — NAME, CREATED_AT, KIB, disk yes|no per line. */
export const vmSnapshotsList = hostScript({ name: 'vm-snapshots-list', source: vmSnapshotsListSource, what: 'Listing the snapshots' });

/** DIR NAME */
export const vmSnapshotDelete = hostScript({ name: 'vm-snapshot-delete', source: vmSnapshotDeleteSource, what: 'Deleting the snapshot', outcomes: { 4: 'missing' } });

/** SOURCE NAME TARGET — TARGET's rootfs.ext4 becomes a copy of the snapshot's disk. */
export const vmSnapshotDiskRestore = hostScript({
  name: 'vm-snapshot-disk-restore',
  source: vmSnapshotDiskRestoreSource,
  what: 'Copying the snapshot’s disk',
  failures: {
    4: { code: 'NOT_FOUND', message: 'This snapshot has no copy of a disk (it was taken of a microVM that booted its image directly), so it cannot be restored safely.', remedy: 'Take a new snapshot of a microVM made by this version of Firedeck.' },
    7: { code: 'DISK_SPACE_SHORT', message: 'Copying the snapshot’s disk failed.', remedy: 'Check free space on the host (~/.firedeck/vms) and try again.' },
  },
});

/** DIR NAME — prints config.json of the VM whose snapshot is restored. */
export const vmSnapshotSource = hostScript({ name: 'vm-snapshot-source', source: vmSnapshotSourceSource, what: 'Reading the snapshot', outcomes: { 3: 'no-config', 4: 'no-snapshot' } });

const mib = (kib: string | undefined) => `${Math.ceil(Number(kib ?? 0) / 1024)} MiB`;

/** DIR IMAGE BYTES — the VM's own copy of its image, checked and grown; prints "SHA256 BYTES". */
export const vmDiskCreate = hostScript({
  name: 'vm-disk-create',
  source: vmDiskCreateSource,
  what: 'Copying the image into the microVM’s own disk',
  failures: {
    3: { code: 'NOT_FOUND', message: 'The root filesystem image cannot be read on the host.', remedy: 'Choose an image from the host’s Images list.' },
    4: {
      code: 'IMAGE_CHECKSUM_MISMATCH',
      message: ({ output }) => {
        const [recorded, actual] = output.trim().split(' ');
        return `The image’s SHA-256 is ${actual ?? '?'}, but ${recorded ?? '?'} was recorded when it was installed: it changed since (or is damaged), so no microVM is made from it.`;
      },
      remedy: 'Install the image again from the host’s Images view (or run Set up host again).',
    },
    5: {
      code: 'DISK_SPACE_SHORT',
      message: ({ output }) => {
        const [need, free] = output.trim().split(' ');
        return `The microVM’s disk can grow to ${mib(need)}, but the host has ${mib(free)} free where microVMs live.`;
      },
      remedy: 'Choose a smaller disk size, or free space on the host (delete microVMs or snapshots you no longer need).',
    },
    6: {
      code: 'INVALID_INPUT',
      message: ({ output }) => `The disk size is smaller than the image (${Math.ceil(Number(output.trim()) / 1024 ** 2)} MiB).`,
      remedy: 'Choose at least the image’s size.',
    },
    7: { code: 'DISK_SPACE_SHORT', message: 'Copying the image into the microVM’s disk failed.', remedy: 'Check free space where microVMs live on the host (~/.firedeck/vms).' },
    8: {
      code: 'DISK_GROW_FAILED',
      message: ({ output }) => `Growing the disk failed: ${output.trim().split('\n').join(' / ')}`,
      remedy: 'Check that the image is an ext4 filesystem and that e2fsprogs (resize2fs) is installed on the host, or keep the image’s size.',
    },
  },
});

/** DIR MAX_BYTES KEEP_BYTES INTERVAL_S — the watcher that keeps console.log bounded while the VM lives. */
export const consoleWatch = hostScript({ name: 'console-watch', source: consoleWatchSource, what: 'Starting the console log watcher' });
