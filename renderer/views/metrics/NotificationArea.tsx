import '../../styles/metrics.css';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/Icon';
import { useAppStore } from '../../store/context';
import { toasts } from '../../store/notifications-slice';
import type { ViewId } from '../../store/ui-slice';
import { views } from '../../store/ui-slice';
import { useViewPresence } from './use-metrics';

/**
 * The toasts of the backend's notifications (a VM that exited, a host lost or back, a task
 * that ended out of sight), newest first, each with a way to its view and a dismiss button.
 * Mounted once in the app shell; it also tells main which view this window shows.
 */
export function NotificationArea() {
  useViewPresence();
  const items = useAppStore(useShallow((s) => toasts(s.notifications.items)));
  const dismiss = useAppStore((s) => s.notifications.dismiss);
  const navigate = useAppStore((s) => s.ui.navigate);
  if (items.length === 0) return null;
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {items.map((n) => (
        <article key={n.id} className={`toast toast-${n.level}`} role={n.level === 'error' ? 'alert' : 'status'}>
          <Icon name={n.level === 'info' ? 'info' : 'warning'} />
          <div className="toast-body">
            <strong>{n.title}</strong>
            <p>{n.body}</p>
            {/* Anchored at its end: the console's last lines are what tells why the VM died. */}
            {n.lines && n.lines.length > 0 && (
              <pre className="toast-lines">
                <span>{n.lines.join('\n')}</span>
              </pre>
            )}
            {n.view && (views as readonly string[]).includes(n.view) && (
              <button type="button" className="link" onClick={() => navigate(n.view as ViewId)}>
                Show
              </button>
            )}
          </div>
          <button type="button" className="icon-button" aria-label={`Dismiss: ${n.title}`} onClick={() => void dismiss(n.id)}>
            <Icon name="close" size={16} />
          </button>
        </article>
      ))}
    </section>
  );
}
