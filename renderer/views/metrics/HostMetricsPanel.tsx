import '../../styles/metrics.css';
import { useEffect, useMemo } from 'react';
import { useAppStore } from '../../store/context';
import { formatBytes, formatLoad, formatLoginMs, formatMs, formatPercent } from './metric-format';
import { MetricTile } from './MetricTile';
import { TimeChart } from './TimeChart';
import { useMetricsHistory, useMetricsSubscription } from './use-metrics';

const NONE: (number | null)[] = [];

/** A host's load, CPU, memory and disk over the last hour, its microVMs' share of them, and their boot times. For the host page. */
export function HostMetricsPanel({ hostId }: { hostId: string }) {
  useMetricsSubscription(hostId);
  useMetricsHistory(hostId);
  const history = useAppStore((s) => s.metrics.histories[hostId]);
  const last = useAppStore((s) => s.metrics.hosts[hostId]);
  const current = useAppStore((s) => s.metrics.current[hostId]);
  const boot = useAppStore((s) => s.metrics.bootTimes[hostId]);
  const loadCurrent = useAppStore((s) => s.metrics.loadCurrent);
  const loadBootTimes = useAppStore((s) => s.metrics.loadBootTimes);
  const hasSample = last !== undefined;

  useEffect(() => {
    if (!hasSample) return;
    void loadCurrent(hostId).catch(() => {});
    void loadBootTimes(hostId).catch(() => {});
  }, [hostId, hasSample, loadCurrent, loadBootTimes]);

  const col = useMemo(() => (field: string) => history?.series[field] ?? NONE, [history]);
  const t = history?.t ?? [];
  const host = current?.host;
  const cpus = host?.cpus ?? null;

  return (
    <section className="metrics-panel card" aria-label="Host metrics">
      <div className="metrics-head">
        <h2>Host metrics</h2>
        {host && host.flush === 'none' && <span className="muted">Disk and network figures of microVMs update once a minute here (no curl or socat on the host).</span>}
      </div>
      {!hasSample && <p className="muted">Waiting for the first samples…</p>}
      <div className="metric-grid">
        <MetricTile title="Load" value={`${formatLoad(last?.load1)}${cpus ? ` on ${cpus} CPUs` : ''}`}>
          <TimeChart label="Load average (1 min)" t={t} series={[{ label: 'Load', color: 'var(--accent)', values: col('load1') }]} format={(v) => v.toFixed(1)} minTop={cpus ?? 1} />
        </MetricTile>
        <MetricTile title="CPU" value={`${formatPercent(last?.cpuPct)} · microVMs ${formatPercent(last?.vmCpuPct)}`}>
          <TimeChart
            label="Host CPU busy and the microVMs' share"
            t={t}
            series={[
              { label: 'Host', color: 'var(--accent)', values: col('cpuPct') },
              { label: 'microVMs', color: 'var(--ok)', values: col('vmCpuPct') },
            ]}
            format={(v) => `${Math.round(v)} %`}
            minTop={100}
          />
        </MetricTile>
        <MetricTile title="Memory" value={`${formatBytes(last?.memUsedBytes)} of ${formatBytes(host?.memTotalBytes)} · microVMs ${formatBytes(last?.vmMemBytes)}`}>
          <TimeChart
            label="Host memory in use and the microVMs' share"
            t={t}
            series={[
              { label: 'In use', color: 'var(--accent)', values: col('memUsedBytes') },
              { label: 'microVMs', color: 'var(--ok)', values: col('vmMemBytes') },
            ]}
            format={formatBytes}
            minTop={host?.memTotalBytes ?? 0}
          />
        </MetricTile>
        <MetricTile title="Disk" value={`${formatBytes(last?.diskUsedBytes)} of ${formatBytes(host?.diskTotalBytes)} · microVMs ${formatBytes(last?.vmDiskBytes)}`}>
          <TimeChart
            label="Disk in use where Firedeck keeps its files, and the microVMs' share"
            t={t}
            series={[
              { label: 'In use', color: 'var(--accent)', values: col('diskUsedBytes') },
              { label: 'microVMs', color: 'var(--ok)', values: col('vmDiskBytes') },
            ]}
            format={formatBytes}
          />
        </MetricTile>
      </div>
      <section className="boot-times" aria-label="Boot times">
        <h3>Boot times</h3>
        {!boot || boot.vms.length === 0 ? (
          <p className="muted">No microVM on this host has a recorded boot yet.</p>
        ) : (
          <dl className="facts">
            <dt>Median</dt>
            <dd>
              {formatMs(boot.median.createToStartMs)} to start · {formatLoginMs(boot.median.startToLoginMs)} to the login prompt ({boot.vms.filter((vm) => !vm.restored).length} microVMs{boot.vms.some((vm) => vm.restored) ? `; ${boot.vms.filter((vm) => vm.restored).length} restored from snapshots left out` : ''})
            </dd>
            {boot.last && (
              <>
                <dt>Last</dt>
                <dd>
                  <code>{boot.last.id}</code>: {formatMs(boot.last.createToStartMs)} to {boot.last.restored ? 'running (restored)' : 'start'} · {boot.last.startToLoginMs === null ? 'no login prompt seen' : `${formatLoginMs(boot.last.startToLoginMs)} to the login prompt`}
                </dd>
              </>
            )}
          </dl>
        )}
      </section>
    </section>
  );
}
