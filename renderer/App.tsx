import { useEffect, useSyncExternalStore } from 'react';
import { ConnectionBanner } from './components/ConnectionBanner';
import { NoticeList } from './components/NoticeList';
import { Sidebar } from './components/Sidebar';
import { ViewBoundary } from './components/ViewBoundary';
import { useAppStore } from './store/context';
import { effectiveTheme } from './store/settings-slice';
import { viewFromHash } from './store/ui-slice';
import type { ViewId } from './store/ui-slice';
import { HostsView } from './views/HostsView';
import { ImagesView } from './views/ImagesView';
import { MicroVmsView } from './views/MicroVmsView';
import { NotificationArea } from './views/metrics/NotificationArea';
import { SettingsView } from './views/SettingsView';
import { WorkspacesView } from './views/WorkspacesView';

const viewComponents: Record<ViewId, () => React.JSX.Element> = {
  hosts: HostsView,
  vms: MicroVmsView,
  images: ImagesView,
  workspaces: WorkspacesView,
  settings: SettingsView,
};

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
const subscribeToSystemTheme = (notify: () => void) => {
  darkQuery.addEventListener('change', notify);
  return () => darkQuery.removeEventListener('change', notify);
};

export function App() {
  const view = useAppStore((s) => s.ui.view);
  const navigate = useAppStore((s) => s.ui.navigate);
  const themeChoice = useAppStore((s) => s.settings.value?.theme);
  const mode = useAppStore((s) => s.app.info?.mode);
  const systemDark = useSyncExternalStore(subscribeToSystemTheme, () => darkQuery.matches);
  const theme = effectiveTheme(themeChoice, systemDark);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // The view lives in the address (#/vms) so back/forward and reloads keep the user's place.
  useEffect(() => {
    if (viewFromHash(window.location.hash) !== view) window.location.hash = `#/${view}`;
  }, [view]);
  useEffect(() => {
    const onHashChange = () => navigate(viewFromHash(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [navigate]);

  const View = viewComponents[view];
  return (
    <div className={`app${mode === 'electron' ? ' app-electron' : ''}`}>
      <Sidebar />
      <main className="content">
        <ConnectionBanner />
        <NoticeList />
        <NotificationArea />
        <ViewBoundary resetKey={view}>
          <View />
        </ViewBoundary>
      </main>
    </div>
  );
}
