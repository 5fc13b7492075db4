import type { Theme } from '../../../shared/channels/settings';
import { SegmentedControl } from '../../components/SegmentedControl';
import { useAppStore } from '../../store/context';

const themes = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
] as const;

/** The theme is saved as soon as it is picked (click or arrow keys); the download fields are not touched. */
export function AppearanceCard({ theme }: { theme: Theme }) {
  const save = useAppStore((s) => s.settings.save);
  return (
    <section className="card" aria-labelledby="appearance">
      <h2 id="appearance">Appearance</h2>
      <SegmentedControl label="Theme" options={themes} value={theme} onChange={(value) => void save({ theme: value })} />
      <p className="field-hint">System follows your operating system's light or dark appearance.</p>
    </section>
  );
}
