import { SegmentedControl } from '../../components/SegmentedControl';
import { Field } from '../../components/Field';
import { authOptions } from './host-form-draft';
import type { HostDraft } from './host-form-draft';

/** How Firedeck logs in: the method, and the key file or agent socket it needs. */
export function AuthFields(props: { draft: HostDraft; errors: Record<string, string>; set<K extends keyof HostDraft>(field: K, value: HostDraft[K]): void }) {
  const { draft, errors, set } = props;
  return (
    <>
      <div className="field">
        <span className="field-label" id="auth-label">
          Authentication
        </span>
        <SegmentedControl options={authOptions} value={draft.method} onChange={(method) => set('method', method)} labelledBy="auth-label" />
      </div>
      {draft.method === 'key' && (
        <Field label="Private key file" hint="For example ~/.ssh/id_ed25519 (not the .pub file). Firedeck asks for its passphrase if it has one." error={errors['auth.keyPath']}>
          <input value={draft.keyPath} onChange={(event) => set('keyPath', event.target.value)} spellCheck={false} placeholder="/Users/you/.ssh/id_ed25519" />
        </Field>
      )}
      {draft.method === 'agent' && (
        <Field label="Agent socket (optional)" hint="Empty means SSH_AUTH_SOCK. An app started from Finder may not see it: paste the output of echo $SSH_AUTH_SOCK." error={errors['auth.agentSocket']}>
          <input value={draft.agentSocket} onChange={(event) => set('agentSocket', event.target.value)} spellCheck={false} />
        </Field>
      )}
      {draft.method === 'password' && <p className="field-hint">Firedeck asks for the password when it connects, and never writes it to disk unencrypted.</p>}
    </>
  );
}
