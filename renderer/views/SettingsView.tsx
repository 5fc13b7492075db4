import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Settings, Theme } from '../../shared/channels/settings';
import { Field } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { useAppStore } from '../store/context';
import { ErrorBanner } from '../components/ErrorBanner';

type Draft = Pick<Settings, 'firecrackerVersion' | 'firecrackerReleaseBaseUrl' | 'imageBaseUrl'>;

const themes: { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function SettingsView() {
  const value = useAppStore((s) => s.settings.value);
  const saving = useAppStore((s) => s.settings.saving);
  const error = useAppStore((s) => s.settings.error);
  const fieldErrors = useAppStore((s) => s.settings.fieldErrors);
  const save = useAppStore((s) => s.settings.save);
  const reset = useAppStore((s) => s.settings.reset);
  const info = useAppStore((s) => s.app.info);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (value) setDraft({ firecrackerVersion: value.firecrackerVersion, firecrackerReleaseBaseUrl: value.firecrackerReleaseBaseUrl, imageBaseUrl: value.imageBaseUrl });
  }, [value]);

  if (!value || !draft) {
    return (
      <>
        <PageHeader title="Settings" description="Where Firedeck downloads from, and how it looks." />
        <p className="muted">Loading settings…</p>
      </>
    );
  }

  const edit = (field: keyof Draft) => (event: { target: { value: string } }) => {
    setSaved(false);
    setDraft({ ...draft, [field]: event.target.value });
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(await save(draft!));
  }

  return (
    <>
      <PageHeader title="Settings" description="Where Firedeck downloads from, and how it looks." />
      <div className="settings">
        <section className="card" aria-labelledby="appearance">
          <h2 id="appearance">Appearance</h2>
          <div className="segmented" role="radiogroup" aria-label="Theme">
            {themes.map((theme) => (
              <button
                key={theme.value}
                type="button"
                role="radio"
                aria-checked={value.theme === theme.value}
                onClick={() => void save({ theme: theme.value })}
              >
                {theme.label}
              </button>
            ))}
          </div>
          <p className="field-hint">System follows your operating system's light or dark appearance.</p>
        </section>

        <form className="card" aria-labelledby="downloads" onSubmit={(event) => void submit(event)} noValidate>
          <h2 id="downloads">Downloads</h2>
          {error && (
            <ErrorBanner
              title="Settings were not saved."
              error={Object.keys(fieldErrors).length > 0 ? { message: 'Correct the fields marked below.' } : error}
            />
          )}
          <Field label="Firecracker version" hint="Installed by the host setup wizard." error={fieldErrors.firecrackerVersion}>
            <input value={draft.firecrackerVersion} onChange={edit('firecrackerVersion')} spellCheck={false} />
          </Field>
          <Field
            label="Firecracker release URL"
            hint="Base of the release downloads; point it at a mirror for hosts without internet access."
            error={fieldErrors.firecrackerReleaseBaseUrl}
          >
            <input value={draft.firecrackerReleaseBaseUrl} onChange={edit('firecrackerReleaseBaseUrl')} spellCheck={false} />
          </Field>
          <Field label="Image catalog URL" hint="An S3-style bucket that lists guest kernels and root filesystems." error={fieldErrors.imageBaseUrl}>
            <input value={draft.imageBaseUrl} onChange={edit('imageBaseUrl')} spellCheck={false} />
          </Field>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="button" disabled={saving} onClick={() => void reset().then(setSaved)}>
              Restore defaults
            </button>
            {saved && (
              <span className="saved" role="status">
                Saved
              </span>
            )}
          </div>
        </form>

        {info && (
          <section className="card" aria-labelledby="about">
            <h2 id="about">About</h2>
            <dl className="facts">
              <dt>Version</dt>
              <dd>{info.version}</dd>
              <dt>Running as</dt>
              <dd>{info.mode === 'electron' ? 'Desktop app' : 'Browser mode (npm run web)'}</dd>
              <dt>Data folder</dt>
              <dd>
                <code>{info.dataDir}</code>
              </dd>
            </dl>
          </section>
        )}
      </div>
    </>
  );
}
