import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import type { JailSettings } from '../../../shared/channels/jail';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { SegmentedControl } from '../../components/SegmentedControl';
import { useDraft } from '../../components/use-draft';
import { useAppStore } from '../../store/context';

interface JailDraft {
  uidMin: string;
  uidMax: string;
  uidPer: JailSettings['uidPer'];
  memoryOverheadMib: string;
}

const uidModes = [
  { value: 'vm', label: 'One per microVM' },
  { value: 'host', label: 'One per host' },
] as const;

/** A typed number as the backend should judge it: what is not a number at all goes as NaN, which the backend refuses with the field's message. */
function toNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text.trim());
}

/**
 * How microVMs are jailed on hosts with the privileged helper. The range and its rules are
 * checked by the backend (shared/channels/jail.ts); this form only shows what it says, next to
 * the field it concerns.
 */
export function JailForm({ jail }: { jail: JailSettings }) {
  const saving = useAppStore((s) => s.settings.saving);
  const fieldErrors = useAppStore((s) => s.settings.fieldErrors);
  const save = useAppStore((s) => s.settings.save);
  const { uidMin, uidMax, uidPer, memoryOverheadMib } = jail;
  const source = useMemo<JailDraft>(
    () => ({ uidMin: String(uidMin), uidMax: String(uidMax), uidPer, memoryOverheadMib: String(memoryOverheadMib) }),
    [uidMin, uidMax, uidPer, memoryOverheadMib],
  );
  const draft = useDraft<JailDraft>(source);
  const [saved, setSaved] = useState(false);
  const errorOf = (field: keyof JailSettings) => fieldErrors[`jail.${field}`];
  const refused = Object.keys(fieldErrors).some((path) => path === 'jail' || path.startsWith('jail.'));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await save({
      jail: { uidMin: toNumber(draft.value.uidMin), uidMax: toNumber(draft.value.uidMax), uidPer: draft.value.uidPer, memoryOverheadMib: toNumber(draft.value.memoryOverheadMib) },
    });
    if (ok) draft.reset();
    setSaved(ok);
  }

  const edit = (field: 'uidMin' | 'uidMax' | 'memoryOverheadMib', value: string) => {
    setSaved(false);
    draft.set(field, value);
  };

  return (
    <form className="card" aria-labelledby="jail-settings" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="jail-settings">Jail</h2>
      <p className="field-hint">On hosts with Firedeck’s helper, each microVM runs in the jailer’s chroot as a user of its own, taken from this range (ids a user or group already has are skipped).</p>
      {refused && <ErrorBanner title="Jail settings were not saved." error={{ message: 'Correct the fields marked below.' }} />}
      <Field label="First jail uid" hint="10000 or above." error={errorOf('uidMin')}>
        <input inputMode="numeric" className="mono" value={draft.value.uidMin} onChange={(event) => edit('uidMin', event.target.value)} />
      </Field>
      <Field label="Last jail uid" hint="2147483646 at most; the range holds at least 8 ids." error={errorOf('uidMax')}>
        <input inputMode="numeric" className="mono" value={draft.value.uidMax} onChange={(event) => edit('uidMax', event.target.value)} />
      </Field>
      <div className="field">
        <span id="jail-uid-per">Jail uids</span>
        <SegmentedControl
          labelledBy="jail-uid-per"
          options={uidModes}
          value={draft.value.uidPer}
          onChange={(value) => {
            setSaved(false);
            draft.set('uidPer', value);
          }}
        />
        <p className="field-hint">One per host shares a uid among a host’s microVMs: fewer ids, less isolation between them.</p>
      </div>
      <Field label="Memory overhead (MiB)" hint="What each microVM’s cgroup allows beyond the guest’s memory, for Firecracker itself." error={errorOf('memoryOverheadMib')}>
        <input inputMode="numeric" className="mono" value={draft.value.memoryOverheadMib} onChange={(event) => edit('memoryOverheadMib', event.target.value)} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Storing…' : 'Apply jail settings'}
        </button>
        {saved && (
          <span className="saved" role="status">
            Jail settings stored. New microVMs use them; running ones keep their jail.
          </span>
        )}
      </div>
    </form>
  );
}
