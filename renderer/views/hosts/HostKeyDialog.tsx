import { useState } from 'react';
import type { AppErrorShape } from '../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { code } from '../../../shared/error-codes';
import '../../styles/hosts.css';

interface KeyDetails {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  knownFingerprints?: string[];
}

/** Asks the user to trust an unknown key, warns about a changed one, and refuses a revoked one. */
export function HostKeyDialog({ error, onTrust, onClose }: { error: AppErrorShape; onTrust(fingerprint: string, replace: boolean): void; onClose(): void }) {
  const key = error.details as KeyDetails;
  const [verified, setVerified] = useState(false);
  const where = key.port === 22 ? key.host : `${key.host}:${key.port}`;
  const fingerprint = (
    <dl className="facts key-facts">
      <dt>Key type</dt>
      <dd>
        <code>{key.keyType}</code>
      </dd>
      <dt>{error.code === code.HOST_KEY_CHANGED ? 'New fingerprint' : 'Fingerprint'}</dt>
      <dd>
        <code className="fingerprint">{key.fingerprint}</code>
      </dd>
      {error.code === code.HOST_KEY_CHANGED &&
        (key.knownFingerprints ?? []).map((known) => (
          <FingerprintRow key={known} label="On record" value={known} />
        ))}
    </dl>
  );

  if (error.code === code.HOST_KEY_UNKNOWN) {
    return (
      <Dialog
        title={`Trust ${where}?`}
        onClose={onClose}
        footer={
          <>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="button button-primary" onClick={() => onTrust(key.fingerprint, false)}>
              Trust and connect
            </button>
          </>
        }
      >
        <div className="host-key">
          <p>Firedeck has not connected to this host before. It presents this key:</p>
          {fingerprint}
          <p className="muted">
            Compare the fingerprint with the one the host’s administrator gives you, or with the output of{' '}
            <code>ssh-keygen -lf /etc/ssh/ssh_host_{key.keyType.replace(/^ssh-|^ecdsa-sha2-.*$/, '') || 'ecdsa'}_key.pub</code> on the host. Trust it only if
            they match.
          </p>
        </div>
      </Dialog>
    );
  }

  const revoked = error.code === code.HOST_KEY_REVOKED;
  return (
    <Dialog
      title={revoked ? `${where} presents a revoked key` : `The host key of ${where} has changed`}
      tone="danger"
      onClose={onClose}
      footer={
        <>
          {!revoked && (
            <button type="button" className="button button-danger" disabled={!verified} onClick={() => onTrust(key.fingerprint, true)}>
              Replace stored key
            </button>
          )}
          <button type="button" className="button button-primary" onClick={onClose}>
            {revoked ? 'Close' : 'Do not connect'}
          </button>
        </>
      }
    >
      <div className="host-key">
        <p>
          <strong>{error.message}</strong>
        </p>
        {fingerprint}
        {error.remedy && <p className="muted">{error.remedy}</p>}
        {!revoked && (
          <label className="checkbox">
            <input type="checkbox" checked={verified} onChange={(event) => setVerified(event.target.checked)} />I have confirmed the new fingerprint with the host’s administrator
          </label>
        )}
      </div>
    </Dialog>
  );
}

function FingerprintRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <code className="fingerprint">{value}</code>
      </dd>
    </>
  );
}
