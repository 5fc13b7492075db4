import { useState } from 'react';
import type { VmSummary } from '../../../shared/channels/vms';
import { useAppStore } from '../../store/context';
import { vmKey, vmUnavailable } from '../../store/vms-slice';
import type { VmAction } from '../../store/vms-slice';
import { SnapshotDialog } from './SnapshotDialog';

const destructive: Partial<Record<VmAction, string>> = {
  stop: 'Stop',
  kill: 'Force kill',
  delete: 'Delete',
};

/**
 * Buttons for what the VM's state allows; destructive ones ask once more. Every action needs the
 * VM's host: while it cannot be asked, the buttons are disabled and say why.
 */
export function VmActions({ vm, compact = false }: { vm: VmSummary; compact?: boolean }) {
  const act = useAppStore((s) => s.vms.act);
  const busy = useAppStore((s) => s.vms.busy[vmKey(vm)]);
  const host = useAppStore((s) => s.hosts.byId[vm.hostId]);
  const [confirm, setConfirm] = useState<VmAction | null>(null);
  const [snapshotting, setSnapshotting] = useState(false);
  const unavailable = vmUnavailable(vm, host);
  const live = vm.state === 'running' || vm.state === 'paused' || vm.state === 'starting' || vm.state === 'unknown';
  const cls = `button${compact ? ' button-small' : ''}`;
  const blocked = !!busy || unavailable !== null;
  const why = unavailable ? `Not now: ${unavailable.message}` : undefined;

  if (confirm && !unavailable) {
    const label = destructive[confirm]!;
    return (
      <span className="row-actions confirm">
        <span className="small">{confirm === 'delete' ? `Delete ${vm.id} and its run directory?` : `${label} ${vm.id}?`}</span>
        <button type="button" className={`${cls} button-danger`} onClick={() => { setConfirm(null); void act(vm, confirm); }}>
          {label}
        </button>
        <button type="button" className={cls} onClick={() => setConfirm(null)}>
          Cancel
        </button>
      </span>
    );
  }
  const button = (label: string, onClick: () => void) => (
    <button type="button" className={cls} disabled={blocked} title={why} onClick={onClick}>
      {label}
    </button>
  );
  // The dialog sits beside the buttons, not inside them: a <dialog> inherits its parent's text styles (nowrap, alignment).
  return (
    <>
    <span className="row-actions">
      {busy && <span className="muted small">{busy}…</span>}
      {vm.state === 'running' && button('Pause', () => void act(vm, 'pause'))}
      {vm.state === 'paused' && button('Resume', () => void act(vm, 'resume'))}
      {!compact && vm.state !== 'exited' && vm.state !== 'stopped' && button('Snapshot', () => setSnapshotting(true))}
      {live && button('Stop', () => setConfirm('stop'))}
      {live && !compact && button('Force kill', () => setConfirm('kill'))}
      {!live && button('Delete', () => setConfirm('delete'))}
    </span>
    {snapshotting && <SnapshotDialog vm={vm} onClose={() => setSnapshotting(false)} />}
    </>
  );
}
