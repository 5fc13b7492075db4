import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import type { Settings } from '../../../shared/channels/settings';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { useDraft } from '../../components/use-draft';
import { useAppStore } from '../../store/context';

type Downloads = Pick<Settings, 'firecrackerVersion' | 'firecrackerReleaseBaseUrl' | 'imageBaseUrl'>;

const fields: { name: keyof Downloads; label: string; hint: string }[] = [
  { name: 'firecrackerVersion', label: 'Firecracker version', hint: 'Installed by the host setup wizard.' },
  { name: 'firecrackerReleaseBaseUrl', label: 'Firecracker release URL', hint: 'Base of the release downloads; point it at a mirror for hosts without internet access.' },
  { name: 'imageBaseUrl', label: 'Image catalog URL', hint: 'An S3-style bucket that lists guest kernels and root filesystems.' },
];

/**
 * Where the wizard and the image catalog download from. What the user typed stays until saved
 * or restored, whatever else changes meanwhile (a theme picked, settings changed in another tab).
 */
export function DownloadsForm({ settings }: { settings: Settings }) {
  const saving = useAppStore((s) => s.settings.saving);
  const error = useAppStore((s) => s.settings.error);
  const fieldErrors = useAppStore((s) => s.settings.fieldErrors);
  const save = useAppStore((s) => s.settings.save);
  const restoreDefaults = useAppStore((s) => s.settings.reset);
  const { firecrackerVersion, firecrackerReleaseBaseUrl, imageBaseUrl } = settings;
  const source = useMemo(() => ({ firecrackerVersion, firecrackerReleaseBaseUrl, imageBaseUrl }), [firecrackerVersion, firecrackerReleaseBaseUrl, imageBaseUrl]);
  const draft = useDraft<Downloads>(source);
  const [saved, setSaved] = useState(false);
  // Another card's refused fields (the jail range, say) are shown there, not here.

  const finished = (ok: boolean) => {
    // Saved values come back normalised (no trailing slash): show those.
    if (ok) draft.reset();
    setSaved(ok);
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    finished(await save(draft.value));
  }

  return (
    <form className="card" aria-labelledby="downloads" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="downloads">Downloads</h2>
      {error && (Object.keys(fieldErrors).length === 0 || fields.some((field) => fieldErrors[field.name])) && <ErrorBanner title="Settings were not saved." error={Object.keys(fieldErrors).length > 0 ? { message: 'Correct the fields marked below.' } : error} />}
      {fields.map((field) => (
        <Field key={field.name} label={field.label} hint={field.hint} error={fieldErrors[field.name]}>
          <input
            value={draft.value[field.name]}
            onChange={(event) => {
              setSaved(false);
              draft.set(field.name, event.target.value);
            }}
            spellCheck={false}
          />
        </Field>
      ))}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" disabled={saving} onClick={() => void restoreDefaults().then(finished)}>
          Restore defaults
        </button>
        {saved && (
          <span className="saved" role="status">
            Saved
          </span>
        )}
      </div>
    </form>
  );
}
