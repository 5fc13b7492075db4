import { useState } from 'react';
import type { VmSummary } from '../../../shared/channels/vms';
import { useAppStore } from '../../store/context';
import { vmKey } from '../../store/vms-slice';
import type { VmAction } from '../../store/vms-slice';

const destructive: Partial<Record<VmAction, string>> = {
  stop: 'Stop',
  kill: 'Force kill',
  delete: 'Delete',
};

/** Buttons for what the VM's state allows; destructive ones ask once more. */
export function VmActions({ vm, compact = false }: { vm: VmSummary; compact?: boolean }) {
  const act = useAppStore((s) => s.vms.act);
  const busy = useAppStore((s) => s.vms.busy[vmKey(vm)]);
  const [confirm, setConfirm] = useState<VmAction | null>(null);
  const live = vm.state === 'running' || vm.state === 'paused' || vm.state === 'starting' || vm.state === 'unknown';
  const cls = `button${compact ? ' button-small' : ''}`;

  if (confirm) {
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
  return (
    <span className="row-actions">
      {busy && <span className="muted small">{busy}…</span>}
      {vm.state === 'running' && (
        <button type="button" className={cls} disabled={!!busy} onClick={() => void act(vm, 'pause')}>
          Pause
        </button>
      )}
      {vm.state === 'paused' && (
        <button type="button" className={cls} disabled={!!busy} onClick={() => void act(vm, 'resume')}>
          Resume
        </button>
      )}
      {!compact && vm.state !== 'exited' && vm.state !== 'stopped' && (
        <button type="button" className={cls} disabled={!!busy} onClick={() => void act(vm, 'snapshot')}>
          Snapshot
        </button>
      )}
      {live && (
        <button type="button" className={cls} disabled={!!busy} onClick={() => setConfirm('stop')}>
          Stop
        </button>
      )}
      {live && !compact && (
        <button type="button" className={cls} disabled={!!busy} onClick={() => setConfirm('kill')}>
          Force kill
        </button>
      )}
      {!live && (
        <button type="button" className={cls} disabled={!!busy} onClick={() => setConfirm('delete')}>
          Delete
        </button>
      )}
    </span>
  );
}
