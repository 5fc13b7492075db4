import type { HostProbe } from '../../../shared/channels/hosts';
import { KvmBadge } from '../../components/KvmBadge';

const mib = (value: number | null) => (value === null ? 'unknown' : value >= 1024 ? `${(value / 1024).toFixed(1)} GiB` : `${value} MiB`);
const tool = (info: HostProbe['socat']) => (info.present ? `${info.version ?? 'installed'} (${info.path})` : 'not installed');
const sudoLabel: Record<HostProbe['sudo'], string> = { passwordless: 'Works without a password', 'password-required': 'Needs a password', missing: 'Not installed' };

/** What the probe found on the host: the KVM verdict first, then architecture, resources, tools. */
export function ProbeCard({ probe }: { probe: HostProbe }) {
  return (
    <section className="card" aria-labelledby="probe-heading">
      <h2 id="probe-heading">Host facts</h2>
      <div className={`kvm-callout ${probe.kvm.verdict === 'ok' ? 'kvm-ok' : 'kvm-problem'}`} role="status" aria-label="KVM">
        <KvmBadge verdict={probe.kvm.verdict} />
        <div>
          <p>{probe.kvm.detail}</p>
          {probe.kvm.remedy && <p className="remedy">{probe.kvm.remedy}</p>}
        </div>
      </div>
      <dl className="facts">
        <dt>Architecture</dt>
        <dd className="mono">{probe.arch ?? `${probe.machine} (not supported by Firecracker)`}</dd>
        <dt>System</dt>
        <dd>
          {probe.os}, kernel {probe.kernel}
          {probe.lima ? ' (Lima VM)' : ''}
        </dd>
        <dt>CPUs</dt>
        <dd>{probe.cpus ?? 'unknown'}</dd>
        <dt>Memory</dt>
        <dd>
          {mib(probe.memoryMiB.available)} free of {mib(probe.memoryMiB.total)}
        </dd>
        <dt>Disk</dt>
        <dd>
          {mib(probe.diskFreeMiB)} free for <code>{probe.firedeckDir}</code>
        </dd>
        <dt>sudo</dt>
        <dd>{sudoLabel[probe.sudo]}</dd>
        <dt>Firecracker</dt>
        <dd className="mono small">{tool(probe.firecracker)}</dd>
        <dt>Jailer</dt>
        <dd className="mono small">{tool(probe.jailer)}</dd>
        <dt>socat</dt>
        <dd className="mono small">{tool(probe.socat)}</dd>
      </dl>
      <p className="muted small">Probed {new Date(probe.probedAt).toLocaleString()}</p>
    </section>
  );
}
