import source from '../host-scripts/firedeck-dir-repair.sh';
import { hostScript } from '../ssh/host-script.js';

/**
 * Makes an existing ~/.firedeck private to the SSH user (folders 0700, files 0600, binaries
 * 0700): trees made before every remote command ran under umask 077 were readable by every
 * local user of the host, memory snapshots and console logs included. Run once per connection.
 */
export const firedeckDirRepair = hostScript({
  name: 'firedeck-dir-repair',
  source,
  what: 'Making ~/.firedeck private',
  outcomes: { 3: 'partial' },
});
