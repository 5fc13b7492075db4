import type { HostSummary } from '../../../shared/channels/hosts';
import type { VmState } from '../../../shared/channels/vms';
import type { VmFilter } from '../../store/vms-slice';

const states: VmState[] = ['running', 'paused', 'starting', 'stopped', 'exited', 'unknown'];

export function VmFilters({ filter, hosts, onChange }: { filter: VmFilter; hosts: HostSummary[]; onChange(filter: VmFilter): void }) {
  return (
    <div className="filters" role="search">
      <input placeholder="Filter by id or name" aria-label="Filter by id or name" value={filter.text ?? ''} onChange={(e) => onChange({ ...filter, text: e.target.value })} />
      <select aria-label="Host" value={filter.hostId ?? ''} onChange={(e) => onChange({ ...filter, hostId: e.target.value || undefined })}>
        <option value="">All hosts</option>
        {hosts.map((h) => (
          <option key={h.id} value={h.id}>
            {h.label}
          </option>
        ))}
      </select>
      <select aria-label="State" value={filter.state ?? ''} onChange={(e) => onChange({ ...filter, state: (e.target.value || undefined) as VmState | undefined })}>
        <option value="">Any state</option>
        {states.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </div>
  );
}
