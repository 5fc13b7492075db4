import type { VmState } from '../../../shared/channels/vms';

const labels: Record<VmState, string> = {
  starting: 'Starting',
  running: 'Running',
  paused: 'Paused',
  stopped: 'Stopped',
  exited: 'Exited',
  unknown: 'Not answering',
};

export function VmStateBadge({ state }: { state: VmState }) {
  const tone = state === 'running' ? 'badge-ok' : state === 'stopped' ? 'badge-idle' : 'badge-warn';
  return <span className={`badge ${tone}`}>{labels[state]}</span>;
}
