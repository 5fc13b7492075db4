import { useState } from 'react';
import type { FormEvent } from 'react';
import type { VmSnapshot, VmSummary } from '../../../shared/channels/vms';
import type { AppErrorShape } from '../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { useAppStore } from '../../store/context';
import { formatSize } from '../../format';

/**
 * Takes a named snapshot (the VM is paused for it and resumed after) and then says what it made:
 * name, size and time, kept under the VM until deleted from its page.
 */
export function SnapshotDialog({ vm, onClose }: { vm: VmSummary; onClose(): void }) {
  const take = useAppStore((s) => s.vms.takeSnapshot);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<VmSnapshot>();
  const [error, setError] = useState<{ shape: AppErrorShape; fields: Record<string, string> }>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const result = await take(vm, name.trim() || undefined);
    setBusy(false);
    if (result.ok) setMade(result.value);
    else setError({ shape: result.error, fields: result.fieldErrors });
  }

  const footer = made ? (
    <button type="button" className="button button-primary" onClick={onClose}>
      Done
    </button>
  ) : (
    <>
      <button type="button" className="button" onClick={onClose} disabled={busy}>
        Cancel
      </button>
      <button type="submit" form="snapshot-form" className="button button-primary" disabled={busy}>
        {busy ? 'Taking the snapshot…' : 'Take snapshot'}
      </button>
    </>
  );
  return (
    <Dialog title={`Snapshot ${vm.name || vm.id}`} onClose={onClose} footer={footer}>
      {made ? (
        <section className="snapshot-made" aria-label="Snapshot taken">
          <p>The snapshot is kept under {vm.id}: restore it as a new microVM or roll {vm.id} back to it from its page.</p>
          <dl className="facts">
            <dt>Name</dt>
            <dd className="mono">{made.name}</dd>
            <dt>Size</dt>
            <dd>{formatSize(made.sizeBytes)} (memory, state and a copy of the disk)</dd>
            <dt>Taken</dt>
            <dd>{new Date(made.createdAt).toLocaleString()}</dd>
          </dl>
        </section>
      ) : (
        <form id="snapshot-form" className="form-grid" onSubmit={(event) => void submit(event)} noValidate>
          {error && Object.keys(error.fields).length === 0 && <ErrorBanner title="No snapshot was taken." error={error.shape} />}
          <Field label="Snapshot name (optional)" hint="Empty: named from the time. The microVM is paused while its memory and disk are saved, then resumed." error={error?.fields.name}>
            <input value={name} spellCheck={false} placeholder="before-upgrade" onChange={(event) => setName(event.target.value)} disabled={busy} />
          </Field>
        </form>
      )}
    </Dialog>
  );
}
