import type { KvmVerdict } from '../../shared/channels/hosts';
import { kvmLabels } from '../store/hosts-slice';

export function KvmBadge({ verdict }: { verdict: KvmVerdict | undefined }) {
  if (!verdict) return <span className="muted">—</span>;
  return <span className={`badge ${verdict === 'ok' ? 'badge-ok' : 'badge-warn'}`}>{kvmLabels[verdict]}</span>;
}
