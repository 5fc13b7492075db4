import { useState } from 'react';
import type { FormEvent } from 'react';
import type { FirecrackerTransport, HostAuth, HostInput, HostSummary, SshConfigHost } from '../../../shared/channels/hosts';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { useAppStore } from '../../store/context';
import { ErrorBanner } from '../../components/ErrorBanner';

interface Draft {
  label: string;
  address: string;
  port: string;
  user: string;
  method: HostAuth['method'];
  keyPath: string;
  agentSocket: string;
  transport: FirecrackerTransport;
  proxyJump: string;
}

const transports: { value: FirecrackerTransport; label: string }[] = [
  { value: 'ssh-unix', label: 'Through SSH to the API socket (recommended)' },
  { value: 'ssh-exec', label: 'Through SSH, relayed by a command (where sshd forbids forwarding)' },
  { value: 'tcp', label: 'LAN TCP port (unauthenticated, unsafe)' },
  { value: 'unix', label: 'Local socket (Firedeck runs on the KVM host)' },
];

const methods = [
  ['key', 'Key file'],
  ['agent', 'SSH agent'],
  ['password', 'Password'],
] as const;

function draftFrom(host?: HostSummary): Draft {
  return {
    label: host?.label ?? '',
    address: host?.address ?? '',
    port: String(host?.port ?? 22),
    user: host?.user ?? '',
    method: host?.auth.method ?? 'key',
    keyPath: host?.auth.method === 'key' ? host.auth.keyPath : '',
    agentSocket: host?.auth.method === 'agent' ? (host.auth.agentSocket ?? '') : '',
    transport: host?.transport ?? 'ssh-unix',
    proxyJump: host?.proxyJump ?? '',
  };
}

function toInput(draft: Draft): HostInput {
  const auth: HostAuth =
    draft.method === 'key'
      ? { method: 'key', keyPath: draft.keyPath }
      : draft.method === 'agent'
        ? { method: 'agent', ...(draft.agentSocket.trim() ? { agentSocket: draft.agentSocket } : {}) }
        : { method: 'password' };
  return {
    label: draft.label,
    address: draft.address,
    // An unparsable port goes to main as-is (NaN travels as null) so its validation names the field.
    port: draft.port.trim() === '' ? 22 : Number(draft.port),
    user: draft.user,
    auth,
    transport: draft.transport,
    ...(draft.proxyJump.trim() ? { proxyJump: draft.proxyJump } : {}),
  };
}

export function HostFormDialog({ host, onClose, onSaved }: { host?: HostSummary; onClose(): void; onSaved(host: HostSummary): void }) {
  const save = useAppStore((s) => s.hosts.save);
  const importSshConfig = useAppStore((s) => s.hosts.importSshConfig);
  const [draft, setDraft] = useState(() => draftFrom(host));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [imported, setImported] = useState<SshConfigHost[] | null>(null);
  const [importError, setImportError] = useState<string>();

  const set = (field: keyof Draft) => (event: { target: { value: string } }) => setDraft({ ...draft, [field]: event.target.value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    const result = await save(toInput(draft), host?.id);
    setSaving(false);
    if (result.ok) return onSaved(result.host);
    setErrors(result.fieldErrors);
    setFormError(Object.keys(result.fieldErrors).length > 0 ? undefined : result.message);
  }

  async function loadSshConfig() {
    setImportError(undefined);
    try {
      const hosts = await importSshConfig();
      setImported(hosts);
      if (hosts.length === 0) setImportError('No hosts found in ~/.ssh/config.');
    } catch (error) {
      setImportError((error as Error).message);
    }
  }

  function fillFromConfig(alias: string) {
    const entry = imported?.find((h) => h.alias === alias);
    if (!entry) return;
    setDraft({
      ...draft,
      label: draft.label || entry.alias,
      address: entry.address,
      port: String(entry.port ?? 22),
      user: entry.user ?? draft.user,
      method: entry.identityFile ? 'key' : draft.method,
      keyPath: entry.identityFile ?? draft.keyPath,
      proxyJump: entry.proxyJump ?? '',
    });
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
        {!host && (
          <div className="import-row">
            {imported && imported.length > 0 ? (
              <select defaultValue="" onChange={(event) => fillFromConfig(event.target.value)} aria-label="Host from ~/.ssh/config">
                <option value="" disabled>
                  Fill in from ~/.ssh/config…
                </option>
                {imported.map((entry) => (
                  <option key={entry.alias} value={entry.alias}>
                    {entry.alias} — {entry.user ? `${entry.user}@` : ''}
                    {entry.address}
                  </option>
                ))}
              </select>
            ) : (
              <button type="button" className="button" onClick={() => void loadSshConfig()}>
                Import from ~/.ssh/config
              </button>
            )}
            {importError && <span className="field-hint">{importError}</span>}
          </div>
        )}
        {formError && <ErrorBanner title="The host was not saved." error={{ message: formError }} />}
        <Field label="Name" hint="How the host appears in Firedeck." error={errors.label}>
          <input value={draft.label} onChange={set('label')} />
        </Field>
        <div className="field-row">
          <Field label="Address" hint="Host name or IP address." error={errors.address}>
            <input value={draft.address} onChange={set('address')} spellCheck={false} autoCapitalize="off" />
          </Field>
          <Field label="Port" error={errors.port}>
            <input value={draft.port} onChange={set('port')} inputMode="numeric" />
          </Field>
        </div>
        <Field label="User" hint="The account you log in as over SSH." error={errors.user}>
          <input value={draft.user} onChange={set('user')} spellCheck={false} autoCapitalize="off" />
        </Field>
        <div className="field">
          <span className="field-label" id="auth-label">
            Authentication
          </span>
          <div className="segmented" role="radiogroup" aria-labelledby="auth-label">
            {methods.map(([method, label]) => (
              <button key={method} type="button" role="radio" aria-checked={draft.method === method} onClick={() => setDraft({ ...draft, method })}>
                {label}
              </button>
            ))}
          </div>
        </div>
        {draft.method === 'key' && (
          <Field label="Private key file" hint="For example ~/.ssh/id_ed25519 (not the .pub file). Firedeck asks for its passphrase if it has one." error={errors['auth.keyPath']}>
            <input value={draft.keyPath} onChange={set('keyPath')} spellCheck={false} placeholder="/Users/you/.ssh/id_ed25519" />
          </Field>
        )}
        {draft.method === 'agent' && (
          <Field label="Agent socket (optional)" hint="Empty means SSH_AUTH_SOCK. An app started from Finder may not see it: paste the output of echo $SSH_AUTH_SOCK." error={errors['auth.agentSocket']}>
            <input value={draft.agentSocket} onChange={set('agentSocket')} spellCheck={false} />
          </Field>
        )}
        {draft.method === 'password' && <p className="field-hint">Firedeck asks for the password when it connects, and never writes it to disk unencrypted.</p>}
        <Field label="Jump host (optional)" hint="ProxyJump, as user@bastion.example.com:22." error={errors.proxyJump}>
          <input value={draft.proxyJump} onChange={set('proxyJump')} spellCheck={false} />
        </Field>
        <Field label="Firecracker API transport" hint="How Firedeck reaches each microVM’s API on this host." error={errors.transport}>
          <select value={draft.transport} onChange={set('transport')}>
            {transports.map((t) => (
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
