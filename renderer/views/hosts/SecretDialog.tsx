import { useState } from 'react';
import type { FormEvent } from 'react';
import type { HostSummary } from '../../../shared/channels/hosts';
import type { AppErrorShape } from '../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { useAppStore } from '../../store/context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { code } from '../../../shared/error-codes';

/** Asks for a password or key passphrase; offers to remember it only where the OS can encrypt it. */
export function SecretDialog({ host, error, onSubmit, onClose }: { host: HostSummary; error: AppErrorShape; onSubmit(value: string, remember: boolean): void; onClose(): void }) {
  const canRemember = useAppStore((s) => s.app.info?.canRememberSecrets ?? false);
  const [value, setValue] = useState('');
  const [remember, setRemember] = useState(false);
  const passphrase = host.auth.method === 'key';
  const retry = error.code === code.KEY_PASSPHRASE_WRONG || error.code === code.AUTH_FAILED;

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(value, remember);
  }

  return (
    <Dialog
      title={passphrase ? 'Key passphrase' : `Password for ${host.user}@${host.address}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="secret-form" className="button button-primary" disabled={value === ''}>
            Connect
          </button>
        </>
      }
    >
      <form id="secret-form" className="form-grid" onSubmit={submit}>
        {retry && <ErrorBanner error={error} />}
        <Field label={passphrase ? `Passphrase for ${host.auth.method === 'key' ? host.auth.keyPath : 'the key'}` : 'Password'}>
          <input type="password" value={value} onChange={(event) => setValue(event.target.value)} autoFocus autoComplete="off" />
        </Field>
        {canRemember ? (
          <label className="checkbox">
            <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} />
            Remember it (encrypted by your system’s keychain)
          </label>
        ) : (
          <p className="field-hint">Firedeck keeps it in memory until it quits; browser mode never stores it.</p>
        )}
      </form>
    </Dialog>
  );
}
