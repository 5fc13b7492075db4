import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import type { FirecrackerTransport, HostSummary } from '../../../shared/channels/hosts';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { useDraft } from '../../components/use-draft';
import { useAppStore } from '../../store/context';
import { AuthFields } from './AuthFields';
import { draftFrom, fieldsFromSshConfig, toInput, transportOptions } from './host-form-draft';
import type { HostDraft } from './host-form-draft';
import { SshConfigImport } from './SshConfigImport';

/** Adds a host, or edits one; main validates, and each error is shown beside its field. */
export function HostFormDialog({ host, onClose, onSaved }: { host?: HostSummary; onClose(): void; onSaved(host: HostSummary): void }) {
  const save = useAppStore((s) => s.hosts.save);
  // Follows the host (e.g. a rename in another window) until the user types.
  const source = useMemo(() => draftFrom(host), [host]);
  const { value: draft, set } = useDraft(source);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const text = (field: keyof HostDraft) => (event: { target: { value: string } }) => set(field, event.target.value);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    const result = await save(toInput(draft), host?.id);
    setSaving(false);
    if (result.ok) return onSaved(result.host);
    setErrors(result.fieldErrors);
    setFormError(Object.keys(result.fieldErrors).length > 0 ? undefined : result.message);
  }

  const footer = (
    <>
      <button type="button" className="button" onClick={onClose}>
        Cancel
      </button>
      <button type="submit" form="host-form" className="button button-primary" disabled={saving}>
        {saving ? 'Saving…' : host ? 'Save host' : 'Add host'}
      </button>
    </>
  );

  return (
    <Dialog title={host ? `Edit ${host.label}` : 'Add a host'} onClose={onClose} footer={footer} wide>
      <form id="host-form" className="form-grid" onSubmit={(event) => void submit(event)} noValidate>
        {!host && <SshConfigImport onPick={(entry) => Object.entries(fieldsFromSshConfig(draft, entry)).forEach(([field, value]) => set(field as keyof HostDraft, value))} />}
        {formError && <ErrorBanner title="The host was not saved." error={{ message: formError }} />}
        <Field label="Name" hint="How the host appears in Firedeck." error={errors.label}>
          <input value={draft.label} onChange={text('label')} />
        </Field>
        <div className="field-row">
          <Field label="Address" hint="Host name or IP address." error={errors.address}>
            <input value={draft.address} onChange={text('address')} spellCheck={false} autoCapitalize="off" />
          </Field>
          <Field label="Port" error={errors.port}>
            <input value={draft.port} onChange={text('port')} inputMode="numeric" />
          </Field>
        </div>
        <Field label="User" hint="The account you log in as over SSH." error={errors.user}>
          <input value={draft.user} onChange={text('user')} spellCheck={false} autoCapitalize="off" />
        </Field>
        <AuthFields draft={draft} errors={errors} set={set} />
        <Field label="Jump host (optional)" hint="ProxyJump, as user@bastion.example.com:22." error={errors.proxyJump}>
          <input value={draft.proxyJump} onChange={text('proxyJump')} spellCheck={false} />
        </Field>
        <Field label="Firecracker API transport" hint="How Firedeck reaches each microVM’s API on this host." error={errors.transport}>
          <select value={draft.transport} onChange={(event) => set('transport', event.target.value as FirecrackerTransport)}>
            {transportOptions.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
        {draft.transport === 'tcp' && (
          <div className="banner banner-warning" role="alert">
            <div>
              <strong>The Firecracker API has no authentication.</strong>
              <p>With a LAN port, anyone who can reach the host can control its microVMs. Use it only on a network you trust.</p>
            </div>
          </div>
        )}
      </form>
    </Dialog>
  );
}
