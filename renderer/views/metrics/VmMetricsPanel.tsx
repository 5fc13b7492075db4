import '../../styles/metrics.css';
import { useEffect, useMemo, useState } from 'react';
import { useAppStore } from '../../store/context';
import { metricsKey } from '../../store/metrics-slice';
import { formatBytes, formatLoginMs, formatMs, formatPercent, formatRate } from './metric-format';
import { MetricTile } from './MetricTile';
import { TimeChart } from './TimeChart';
import { useMetricsHistory, useMetricsSubscription } from './use-metrics';

const WINDOWS = [
  { label: '5 min', ms: 5 * 60_000 },
  { label: '15 min', ms: 15 * 60_000 },
  { label: '1 h', ms: 60 * 60_000 },
] as const;
const NONE: (number | null)[] = [];
/** The rate charts' scale reaches at least 1 KiB/s: an idle VM's flat zero line gets readable ticks, not "1 B/s, 1 B/s, 0 B/s". */
const RATE_FLOOR = 1024;

/** Cuts columns to the samples of the last `ms`. */
function since(t: number[], ms: number): number {
  const from = (t.at(-1) ?? 0) - ms;
  let i = 0;
  while (i < t.length && t[i]! < from) i++;
  return i;
}

/**
 * One microVM's charts (CPU, memory, disk and network over the last minutes or hour), their
 * current values, and the errors Firecracker counted. For the VM page.
 */
export function VmMetricsPanel({ hostId, vmId, vcpus = 1, memoryMib }: { hostId: string; vmId: string; vcpus?: number; memoryMib?: number }) {
  useMetricsSubscription(hostId);
  useMetricsHistory(hostId, vmId);
  const history = useAppStore((s) => s.metrics.histories[metricsKey(hostId, vmId)]);
  const last = useAppStore((s) => s.metrics.vms[metricsKey(hostId, vmId)]);
  const current = useAppStore((s) => s.metrics.current[hostId]);
  const loadCurrent = useAppStore((s) => s.metrics.loadCurrent);
  const boot = useAppStore((s) => s.metrics.bootTimes[hostId]?.vms.find((v) => v.id === vmId));
  const loadBootTimes = useAppStore((s) => s.metrics.loadBootTimes);
  const [windowMs, setWindowMs] = useState<number>(WINDOWS[0].ms);
  const errorCount = last?.errorCount ?? 0;

  // The error counters are fetched when their total moves (the samples carry only the total).
  useEffect(() => {
    void loadCurrent(hostId).catch(() => {});
  }, [hostId, errorCount, loadCurrent]);

  useEffect(() => {
    void loadBootTimes(hostId).catch(() => {});
  }, [hostId, vmId, loadBootTimes]);

  const view = useMemo(() => {
    const t = history?.t ?? [];
    const from = since(t, windowMs);
    const col = (field: string) => history?.series[field]?.slice(from) ?? NONE;
    return { t: t.slice(from), col };
  }, [history, windowMs]);

  const errors = Object.entries(current?.vms.find((v) => v.id === vmId)?.errors ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const failing = errors.filter(([, n]) => n > 0);

  return (
    <section className="metrics-panel card" aria-label="Metrics">
      <div className="metrics-head">
        <h2>Metrics</h2>
        <div className="segmented" role="radiogroup" aria-label="Time range">
          {WINDOWS.map((w) => (
            <button key={w.ms} type="button" role="radio" aria-checked={windowMs === w.ms} onClick={() => setWindowMs(w.ms)}>
              {w.label}
            </button>
          ))}
        </div>
      </div>
      {!last && <p className="muted">Waiting for the first samples…</p>}
      {boot && (
        <p className="muted boot-line">
          {boot.restored ? `Restored from a snapshot: ${formatMs(boot.createToStartMs)} from Create to running` : `Booted: ${formatMs(boot.createToStartMs)} from Create to start`}
          {boot.startToLoginMs === null ? (boot.restored ? '' : ', no login prompt seen on the console') : `, then ${formatLoginMs(boot.startToLoginMs)} to the login prompt`}.
        </p>
      )}
      <div className="metric-grid">
        <MetricTile title="CPU" value={formatPercent(last?.cpuPct)}>
          <TimeChart label={`CPU of ${vmId}, percent of one core`} t={view.t} series={[{ label: 'CPU', color: 'var(--accent)', values: view.col('cpuPct') }]} format={(v) => `${Math.round(v)} %`} minTop={100 * vcpus} />
        </MetricTile>
        <MetricTile title="Memory" value={`${formatBytes(last?.memBytes)}${memoryMib ? ` of ${formatBytes(memoryMib * 1024 * 1024)}` : ''}`}>
          <TimeChart label={`Memory of ${vmId}`} t={view.t} series={[{ label: 'Resident', color: 'var(--ok)', values: view.col('memBytes') }]} format={formatBytes} />
        </MetricTile>
        <MetricTile title="Disk" value={`read ${formatRate(last?.diskReadBps)} · write ${formatRate(last?.diskWriteBps)}`}>
          <TimeChart
            label={`Disk reads and writes of ${vmId}`}
            t={view.t}
            series={[
              { label: 'Read', color: 'var(--accent)', values: view.col('diskReadBps') },
              { label: 'Write', color: 'var(--warn)', values: view.col('diskWriteBps') },
            ]}
            format={formatRate}
            minTop={RATE_FLOOR}
          />
        </MetricTile>
        <MetricTile title="Network" value={`in ${formatRate(last?.netRxBps)} · out ${formatRate(last?.netTxBps)}`}>
          <TimeChart
            label={`Network traffic of ${vmId}`}
            t={view.t}
            series={[
              { label: 'Received', color: 'var(--ok)', values: view.col('netRxBps') },
              { label: 'Sent', color: 'var(--accent)', values: view.col('netTxBps') },
            ]}
            format={formatRate}
            minTop={RATE_FLOOR}
          />
        </MetricTile>
      </div>
      <section className="metric-errors" aria-label="Errors Firecracker counted">
        <h3>Errors</h3>
        {failing.length === 0 ? (
          <p className="muted">{errors.length === 0 ? 'No error counters yet.' : `None of Firecracker’s ${errors.length} error counters moved.`}</p>
        ) : (
          <ul>
            {failing.map(([name, n]) => (
              <li key={name}>
                <code>{name}</code> <strong>{n}</strong>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
