import { PageHeader } from '../components/PageHeader';
import { DiagnosticsCard } from './metrics/DiagnosticsCard';
import { useAppStore } from '../store/context';
import { AboutCard } from './settings/AboutCard';
import { AppearanceCard } from './settings/AppearanceCard';
import { DownloadsForm } from './settings/DownloadsForm';
import { JailForm } from './settings/JailForm';
import { NetworkPoolForm } from './network/NetworkPoolForm';

export function SettingsView() {
  const value = useAppStore((s) => s.settings.value);
  return (
    <>
      <PageHeader title="Settings" description="Where Firedeck downloads from, and how it looks." />
      {value ? (
        <div className="settings">
          <AppearanceCard theme={value.theme} />
          <DownloadsForm settings={value} />
          <NetworkPoolForm pool={value.networkPool} />
          <JailForm jail={value.jail} />
          <DiagnosticsCard />
          <AboutCard />
        </div>
      ) : (
        <p className="muted">Loading settings…</p>
      )}
    </>
  );
}
