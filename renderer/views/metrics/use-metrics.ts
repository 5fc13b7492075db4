import { useEffect } from 'react';
import { useAppStore } from '../../store/context';

/**
 * Keeps a metrics subscription while the component is mounted: the host (or every connected
 * host without one) is sampled only while some window shows metrics. The backend also ends it
 * when the window goes away.
 */
export function useMetricsSubscription(hostId?: string): void {
  const subscribe = useAppStore((s) => s.metrics.subscribe);
  const unsubscribe = useAppStore((s) => s.metrics.unsubscribe);
  const connected = useAppStore((s) => s.connection.status.state === 'connected');
  useEffect(() => {
    if (!connected) return;
    let cancelled = false;
    let id: string | undefined;
    void subscribe(hostId).then((subscriptionId) => {
      if (cancelled && subscriptionId) void unsubscribe(subscriptionId);
      else id = subscriptionId;
    });
    return () => {
      cancelled = true;
      if (id) void unsubscribe(id);
    };
  }, [hostId, connected, subscribe, unsubscribe]);
}

/** Loads a history for a panel and keeps it up to date with samples until the panel goes. */
export function useMetricsHistory(hostId: string, vmId?: string): void {
  const load = useAppStore((s) => s.metrics.loadHistory);
  const drop = useAppStore((s) => s.metrics.dropHistory);
  const connected = useAppStore((s) => s.connection.status.state === 'connected');
  useEffect(() => {
    if (!connected) return;
    void load(hostId, vmId).catch(() => {});
    return () => drop(hostId, vmId);
  }, [hostId, vmId, connected, load, drop]);
}

/** Tells main which view this window shows and whether it is on screen (for task notifications). */
export function useViewPresence(): void {
  const view = useAppStore((s) => s.ui.view);
  const report = useAppStore((s) => s.notifications.reportView);
  const connected = useAppStore((s) => s.connection.status.state === 'connected');
  useEffect(() => {
    if (!connected) return;
    const tell = () => void report(view, document.visibilityState === 'visible');
    tell();
    document.addEventListener('visibilitychange', tell);
    return () => document.removeEventListener('visibilitychange', tell);
  }, [view, connected, report]);
}
