import { useEffect } from 'react';
import { Field } from '../../components/Field';
import { useAppStore } from '../../store/context';
import type { Draft } from '../../components/use-draft';
import type { VmDraft } from './vm-draft';

/**
 * The network choice (on by default: NAT out through the host, an address the host reaches, DNS)
 * and, folded away, MMDS metadata for the guest.
 */
export function VmNetworkFields({ draft, errors }: { draft: Draft<VmDraft>; errors: Record<string, string> }) {
  const { hostId } = draft.value;
  const status = useAppStore((s) => (hostId ? s.network.statuses[hostId] : undefined));
  const loadHelper = useAppStore((s) => s.network.loadHelper);
  useEffect(() => {
    if (hostId) void loadHelper(hostId);
  }, [hostId, loadHelper]);
  // Why the VM would start without a network, said before it is created.
  const problem = draft.value.network && status && !status.verified ? status.problem : undefined;
  return (
    <>
      <Field label="Network" hint="Outbound through the host, DNS from the host’s resolvers, and an address the host reaches. Nothing beyond the host reaches the microVM." error={errors.network}>
        <label className="checkbox">
          <input type="checkbox" checked={draft.value.network} onChange={(event) => draft.set('network', event.target.checked)} />
          Give the microVM a network
        </label>
      </Field>
      {problem && (
        <p className="field-hint network-warning" role="note">
          <strong>This host would start it without a network:</strong> {problem.message} {problem.remedy}
        </p>
      )}
      <details className="advanced">
        <summary>Metadata (optional)</summary>
        <Field label="MMDS metadata (JSON)" hint="Served to the guest at 169.254.169.254; needs the network." error={errors.mmds}>
          <textarea value={draft.value.mmds} onChange={(event) => draft.set('mmds', event.target.value)} spellCheck={false} rows={3} />
        </Field>
      </details>
    </>
  );
}
