import { Field } from '../../components/Field';
import type { Draft } from '../../components/use-draft';
import type { VmDraft } from './vm-draft';

/** The optional part of the form: a tap device, its MAC, and MMDS metadata for the guest. */
export function VmNetworkFields({ draft, errors }: { draft: Draft<VmDraft>; errors: Record<string, string> }) {
  return (
    <details className="advanced">
      <summary>Network and metadata (optional)</summary>
      <div className="field-row">
        <Field label="Tap device" hint="Created with sudo on the host when missing." error={errors['network.tap']}>
          <input value={draft.value.tap} onChange={(event) => draft.set('tap', event.target.value)} spellCheck={false} placeholder="fc-tap0" />
        </Field>
        <Field label="MAC" hint="Empty: a random local one." error={errors['network.mac']}>
          <input value={draft.value.mac} onChange={(event) => draft.set('mac', event.target.value)} spellCheck={false} placeholder="06:00:ac:10:00:02" />
        </Field>
      </div>
      <Field label="MMDS metadata (JSON)" hint="Served to the guest at 169.254.169.254; needs the network interface." error={errors.mmds}>
        <textarea value={draft.value.mmds} onChange={(event) => draft.set('mmds', event.target.value)} spellCheck={false} rows={3} />
      </Field>
    </details>
  );
}
