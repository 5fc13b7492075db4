import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { HostSummary } from '../../../shared/channels/hosts';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { useAppStore } from '../../store/context';
import { needsSudoPassword } from '../../store/network-slice';
import type { HelperAction } from '../../store/network-slice';
import '../../styles/network.css';

/**
 * The setup's "Network helper" step: what will run as root (the helper's full text and the one
 * sudoers line) is shown before anything is installed. sudo's password is asked for here only
 * when sudo wants one; it goes to sudo once and is kept only when Remember is ticked.
 */
export function NetworkHelperStep({ host }: { host: HostSummary }) {
  const helper = useAppStore((s) => s.network.helpers[host.id]);
  const status = useAppStore((s) => s.network.statuses[host.id]);
  const busy = useAppStore((s) => s.network.busy[host.id]);
  const error = useAppStore((s) => s.network.errors[host.id]);
  const canRemember = useAppStore((s) => s.app.info?.canRememberSecrets ?? false);
  const { loadHelper, run } = useAppStore(useShallow((s) => ({ loadHelper: s.network.loadHelper, run: s.network.run })));
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [pending, setPending] = useState<HelperAction>('install');
  const connected = host.connection.state === 'connected';

  useEffect(() => {
    if (connected) void loadHelper(host.id);
  }, [connected, host.id, loadHelper]);

  const askPassword = needsSudoPassword(error);
  const act = (action: HelperAction) => {
    setPending(action);
    void run(host.id, action);
  };
  function submitPassword(event: FormEvent) {
    event.preventDefault();
    void run(host.id, pending, { password, remember }).then(() => setPassword(''));
  }

  const state = !status ? 'Checking…' : status.verified ? `Installed and verified (version ${status.version ?? '?'})` : status.installed ? 'Installed, but not usable' : 'Not installed';
  return (
    <section className="card network-helper" aria-labelledby={`helper-${host.id}`}>
      <h2 id={`helper-${host.id}`}>Network helper</h2>
      <p className="muted">
        MicroVM networks (a namespace, a tap, NAT rules per VM) need root. Firedeck installs one small root-owned script and a sudoers rule that lets{' '}
        <span className="mono">{host.user}</span> run that script, and nothing else, without a password. Without it microVMs start without a network.
      </p>
      <p>
        <strong>Status:</strong> {state}
      </p>
      {status?.problem && !status.verified && status.installed && <ErrorBanner tone="warning" error={status.problem} />}
      {helper && (
        <>
          <p className="small">
            The sudoers rule (<span className="mono">{helper.sudoersPath}</span>):
          </p>
          <pre className="sudoers-line" aria-label="Sudoers rule">
            {helper.sudoersLine}
          </pre>
          <details className="helper-text">
            <summary>
              What runs as root: <span className="mono">{helper.path}</span> (SHA-256 <span className="mono">{helper.sha256.slice(0, 16)}…</span>)
            </summary>
            <pre aria-label="Helper script">{helper.text}</pre>
          </details>
        </>
      )}
      {error && !askPassword && <ErrorBanner error={error} />}
      {askPassword ? (
        <form className="form-grid sudo-form" onSubmit={submitPassword} aria-label="sudo password">
          <ErrorBanner tone="warning" error={error!} />
          <Field label={`sudo password of ${host.user} on ${host.label}`} hint="Passed to sudo once, on its standard input; never on a command line.">
            <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} autoComplete="off" autoFocus />
          </Field>
          {canRemember ? (
            <label className="checkbox">
              <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} />
              Remember it (encrypted by your system’s keychain)
            </label>
          ) : (
            <p className="field-hint">Not stored: browser mode never keeps it.</p>
          )}
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={password === '' || busy !== undefined}>
              {busy ? 'Working…' : pending === 'install' ? 'Install with sudo' : 'Uninstall with sudo'}
            </button>
          </div>
        </form>
      ) : (
        <div className="form-actions">
          <button type="button" className="button button-primary" disabled={!connected || busy !== undefined || !helper} onClick={() => act('install')}>
            {busy === 'install' ? 'Installing…' : status?.installed ? 'Reinstall helper' : 'Install helper'}
          </button>
          {(status?.installed || status?.sudoersInstalled) && (
            <button type="button" className="button" disabled={busy !== undefined} onClick={() => act('uninstall')}>
              {busy === 'uninstall' ? 'Uninstalling…' : 'Uninstall'}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
