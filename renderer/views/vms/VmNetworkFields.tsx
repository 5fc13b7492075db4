import { Field } from '../../components/Field';
import type { Draft } from '../../components/use-draft';
import type { VmDraft } from './vm-draft';

/**
 * The network choice (on by default: NAT out through the host, an address the host reaches, DNS)
 * and, folded away, MMDS metadata for the guest.
 */
export function VmNetworkFields({ draft, errors }: { draft: Draft<VmDraft>; errors: Record<string, string> }) {
  return (
    <>
      <Field label="Network" hint="Outbound through the host, DNS from the host’s resolvers, and an address the host reaches. Nothing beyond the host reaches the microVM." error={errors.network}>
        <label className="checkbox">
          <input type="checkbox" checked={draft.value.network} onChange={(event) => draft.set('network', event.target.checked)} />
          Give the microVM a network
        </label>
      </Field>
      <details className="advanced">
        <summary>Metadata (optional)</summary>
        <Field label="MMDS metadata (JSON)" hint="Served to the guest at 169.254.169.254; needs the network." error={errors.mmds}>
          <textarea value={draft.value.mmds} onChange={(event) => draft.set('mmds', event.target.value)} spellCheck={false} rows={3} />
        </Field>
      </details>
    </>
  );
}
