import type { ConnectionStatus } from '../api';
import { useAppStore } from '../store/context';
import type { ViewId } from '../store/ui-slice';
import { Icon } from './Icon';
import type { IconName } from './Icon';

const items: { view: ViewId; label: string; icon: IconName }[] = [
  { view: 'hosts', label: 'Hosts', icon: 'hosts' },
  { view: 'vms', label: 'MicroVMs', icon: 'vms' },
  { view: 'images', label: 'Images', icon: 'images' },
  { view: 'workspaces', label: 'Workspaces', icon: 'workspaces' },
  { view: 'settings', label: 'Settings', icon: 'settings' },
];

const statusText: Record<ConnectionStatus['state'], string> = {
  connected: 'Backend connected',
  connecting: 'Connecting…',
  lost: 'Reconnecting…',
  refused: 'Access refused',
  unusable: 'Not connected',
};

export function Sidebar() {
  const view = useAppStore((s) => s.ui.view);
  const navigate = useAppStore((s) => s.ui.navigate);
  const connection = useAppStore((s) => s.connection.status.state);
  const version = useAppStore((s) => s.app.info?.version);

  return (
    <aside className="sidebar">
      <div className="sidebar-brand">
        <img src="./logo.svg" alt="" width={26} height={26} />
        <span>Firedeck</span>
      </div>
      <nav aria-label="Main">
        <ul>
          {items.map((item) => (
            <li key={item.view}>
              <button
                type="button"
                className="nav-item"
                aria-current={view === item.view ? 'page' : undefined}
                onClick={() => navigate(item.view)}
              >
                <Icon name={item.icon} />
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="sidebar-footer">
        <span className={`status-dot status-${connection}`} aria-hidden="true" />
        <span role="status">{statusText[connection]}</span>
        {version && <span className="muted version">v{version}</span>}
      </div>
    </aside>
  );
}
