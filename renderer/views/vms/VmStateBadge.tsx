import type { VmState } from '../../../shared/channels/vms';

const labels: Record<VmState, string> = {
  starting: 'Starting',
  running: 'Running',
  paused: 'Paused',
  stopped: 'Stopped',
  exited: 'Exited',
  unknown: 'Not answering',
};

/** The VM's state; `stale` when it is only the state last seen (its host cannot be asked). */
export function VmStateBadge({ state, stale = false }: { state: VmState; stale?: boolean }) {
  const tone = stale || state === 'stopped' ? 'badge-idle' : state === 'running' ? 'badge-ok' : 'badge-warn';
  return <span className={`badge ${tone}`}>{labels[state]}</span>;
}
