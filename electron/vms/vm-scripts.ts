import tapEnsureSource from '../host-scripts/tap-ensure.sh';
import vmBridgeSource from '../host-scripts/vm-bridge.sh';
import vmKillSource from '../host-scripts/vm-kill.sh';
import vmPrepareSource from '../host-scripts/vm-prepare.sh';
import vmSnapshotDirSource from '../host-scripts/vm-snapshot-dir.sh';
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
export const tapEnsure = hostScript({ name: 'tap-ensure', source: tapEnsureSource, what: 'Creating the tap device', outcomes: { 10: 'needs-sudo' } });

/** DIR */
export const vmSnapshotDir = hostScript({ name: 'vm-snapshot-dir', source: vmSnapshotDirSource, what: 'Creating the snapshot folder' });

/** DIR — prints config.json of the VM whose snapshot is restored. */
export const vmSnapshotSource = hostScript({ name: 'vm-snapshot-source', source: vmSnapshotSourceSource, what: 'Reading the snapshot', outcomes: { 3: 'no-config', 4: 'no-snapshot' } });
