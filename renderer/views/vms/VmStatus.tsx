import type { VmSummary } from '../../../shared/channels/vms';
import { useAppStore } from '../../store/context';
import { actionFailure, lastSeen, vmKey } from '../../store/vms-slice';
import { VmStateBadge } from './VmStateBadge';

/**
 * The state cell of a VM's row: its badge, and under it what the user must know: the VM was only
 * last seen (its host cannot be asked), the last action on it failed, or its last log line.
 */
export function VmStatus({ vm, now }: { vm: VmSummary; now: number }) {
  const failure = useAppStore((s) => s.vms.errors[vmKey(vm)]);
  const dismiss = useAppStore((s) => s.vms.dismissError);
  return (
    <>
      <VmStateBadge state={vm.state} stale={!!vm.offline} />
      {vm.offline && (
        <div className="vm-note vm-offline small" title={vm.offline.remedy}>
          {lastSeen(vm.offline.lastSeenAt, now)}: {vm.offline.message}
        </div>
      )}
      {failure && (
        <div className="vm-note vm-failure small" role="alert">
          <span title={failure.error.remedy}>{actionFailure(failure)}</span>
          <button type="button" className="link" aria-label={`Dismiss the error of ${vm.id}`} onClick={() => dismiss(vmKey(vm))}>
            Dismiss
          </button>
        </div>
      )}
      {!vm.offline && vm.state === 'exited' && vm.lastLog && vm.lastLog.length > 0 && <div className="muted mono small last-line">{vm.lastLog.at(-1)}</div>}
    </>
  );
}
