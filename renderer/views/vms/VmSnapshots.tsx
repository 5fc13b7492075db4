import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { VmSnapshot, VmSummary } from '../../../shared/channels/vms';
import type { AppErrorShape } from '../../../shared/errors';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAppStore } from '../../store/context';
import { vmKey, vmUnavailable } from '../../store/vms-slice';
import { formatSize } from '../../format';

type Pending = { kind: 'restore'; snapshot: string; newId: string } | { kind: 'rollback' | 'delete'; snapshot: string };

/** A free id for a clone: the VM's id and the snapshot's name, within Firecracker's id rule. */
export function cloneId(vmId: string, snapshot: string, taken: (id: string) => boolean): string {
  const base = `${vmId}-${snapshot.replace(/[^A-Za-z0-9-]/g, '-')}`.slice(0, 60).replace(/-+$/, '');
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * The VM's snapshots (name, time, size), each with Restore as new VM (a new microVM with its own
 * copy of the snapshot's disk; this one keeps running), Roll back (this VM's disk and memory
 * replaced by the snapshot's) and Delete. The last two ask once more.
 */
export function VmSnapshots({ vm }: { vm: VmSummary }) {
  const key = vmKey(vm);
  const list = useAppStore((s) => s.vms.snapshots[key]);
  const { load, restore, rollback, remove, select } = useAppStore(
    useShallow((s) => ({ load: s.vms.loadSnapshots, restore: s.vms.restoreSnapshot, rollback: s.vms.rollback, remove: s.vms.deleteSnapshot, select: s.vms.select })),
  );
  const byKey = useAppStore((s) => s.vms.byKey);
  const host = useAppStore((s) => s.hosts.byId[vm.hostId]);
  const [pending, setPending] = useState<Pending>();
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<{ title: string; error: AppErrorShape }>();
  const unavailable = vmUnavailable(vm, host);

  useEffect(() => {
    if (!vm.offline) void load(vm);
    // Read again when the VM changes state (a snapshot taken from the Snapshot dialog, a roll back).
  }, [key, vm.state, vm.offline, load]); // eslint-disable-line react-hooks/exhaustive-deps

  async function run(what: Pending) {
    setPending(undefined);
    setFailure(undefined);
    setBusy(`${what.kind}:${what.snapshot}`);
    const result =
      what.kind === 'restore' ? await restore(vm, what.snapshot, what.newId) : what.kind === 'rollback' ? await rollback(vm, what.snapshot) : await remove(vm, what.snapshot);
    setBusy(undefined);
    if (!result.ok) {
      const titles = { restore: `${what.snapshot} was not restored.`, rollback: `${vm.id} was not rolled back.`, delete: `${what.snapshot} was not deleted.` };
      setFailure({ title: titles[what.kind], error: result.error });
    } else if (what.kind === 'restore') {
      select(vmKey(result.value as VmSummary));
    }
  }

  const blocked = !!busy || unavailable !== null;
  const why = unavailable ? `Not now: ${unavailable.message}` : undefined;
  const row = (snap: VmSnapshot) => {
    const mine = pending?.snapshot === snap.name ? pending : undefined;
    const working = busy?.endsWith(`:${snap.name}`) ? busy.split(':')[0] : undefined;
    return (
      <li key={snap.name} className="snapshot-row" aria-label={snap.name}>
        <div>
          <span className="mono">{snap.name}</span>
          <div className="muted small">
            {new Date(snap.createdAt).toLocaleString()} · {formatSize(snap.sizeBytes)}
            {!snap.hasDisk && ' · no disk copy (cannot be restored safely)'}
          </div>
        </div>
        {mine?.kind === 'restore' ? (
          <form
            className="row-actions"
            onSubmit={(event) => {
              event.preventDefault();
              void run(mine);
            }}
          >
            <label className="small" htmlFor={`clone-${snap.name}`}>
              New microVM id
            </label>
            <input id={`clone-${snap.name}`} className="input-small mono" value={mine.newId} spellCheck={false} onChange={(event) => setPending({ ...mine, newId: event.target.value })} />
            <button type="submit" className="button button-small button-primary">
              Restore
            </button>
            <button type="button" className="button button-small" onClick={() => setPending(undefined)}>
              Cancel
            </button>
          </form>
        ) : mine ? (
          <span className="row-actions confirm">
            <span className="small">
              {mine.kind === 'rollback' ? `Replace ${vm.id}’s disk and memory with ${snap.name}? What it did since is lost.` : `Delete ${snap.name}? MicroVMs restored from it keep running.`}
            </span>
            <button type="button" className="button button-small button-danger" onClick={() => void run(mine)}>
              {mine.kind === 'rollback' ? 'Roll back' : 'Delete'}
            </button>
            <button type="button" className="button button-small" onClick={() => setPending(undefined)}>
              Cancel
            </button>
          </span>
        ) : (
          <span className="row-actions">
            {working && <span className="muted small">{working === 'restore' ? 'Restoring' : working === 'rollback' ? 'Rolling back' : 'Deleting'}…</span>}
            <button
              type="button"
              className="button button-small"
              disabled={blocked || !snap.hasDisk}
              title={why}
              onClick={() => setPending({ kind: 'restore', snapshot: snap.name, newId: cloneId(vm.id, snap.name, (id) => !!byKey[`${vm.hostId}/${id}`]) })}
            >
              Restore as new VM
            </button>
            <button type="button" className="button button-small" disabled={blocked || !snap.hasDisk} title={why} onClick={() => setPending({ kind: 'rollback', snapshot: snap.name })}>
              Roll back
            </button>
            <button type="button" className="button button-small" disabled={blocked} title={why} onClick={() => setPending({ kind: 'delete', snapshot: snap.name })}>
              Delete
            </button>
          </span>
        )}
      </li>
    );
  };
  return (
    <section className="card" aria-labelledby="vm-snapshots">
      <h2 id="vm-snapshots">Snapshots</h2>
      {failure && <ErrorBanner title={failure.title} error={failure.error} onDismiss={() => setFailure(undefined)} />}
      {list === undefined ? (
        <p className="muted">{vm.offline ? 'Not known while the host cannot be asked.' : 'Reading the snapshots…'}</p>
      ) : list.length === 0 ? (
        <p className="muted">No snapshot yet. Snapshot keeps the microVM’s memory, state and a copy of its disk.</p>
      ) : (
        <ul className="snapshot-list">{list.map(row)}</ul>
      )}
    </section>
  );
}
