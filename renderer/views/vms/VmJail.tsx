import type { VmJail as Jail } from '../../../shared/channels/jail';
import type { VmSummary } from '../../../shared/channels/vms';

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** cgroup v2 `cpu.max` ("200000 100000") as the CPUs it allows. */
function cpus(cpuMax: string): string {
  const [quota, period] = cpuMax.split(' ').map(Number);
  return quota && period ? `${(quota / period).toString()} CPU${quota === period ? '' : 's'} (cpu.max ${cpuMax})` : cpuMax;
}

/** The list's jail cell: "jailed" with the uid, or "not jailed" with why on hover. */
export function JailBadge({ jail }: { jail?: Jail }) {
  if (!jail) return <span className="muted small">—</span>;
  if (jail.jailed) return <span className="badge badge-ok small" title={`uid ${jail.uid}, chroot ${jail.chroot}`}>jailed</span>;
  return (
    <span className="badge badge-warn small" title={`${jail.message}${jail.remedy ? ` ${jail.remedy}` : ''}`}>
      not jailed
    </span>
  );
}

/** The VM page's card: the jail it runs in (uid/gid, chroot, cgroup limits, seccomp), or why it has none. */
export function VmJail({ vm }: { vm: VmSummary }) {
  const jail = vm.jail;
  if (!jail) return null;
  return (
    <section className="card" aria-labelledby="vm-jail">
      <h2 id="vm-jail">Jail</h2>
      {!jail.jailed ? (
        <>
          <p>{jail.message}</p>
          {jail.remedy && <p className="muted">{jail.remedy}</p>}
        </>
      ) : (
        <dl className="facts">
          <dt>User</dt>
          <dd>
            uid {jail.uid}, gid {jail.gid}
          </dd>
          <dt>Chroot</dt>
          <dd className="mono small">{jail.chroot}</dd>
          <dt>CPU limit</dt>
          <dd>{jail.cpuMax ? cpus(jail.cpuMax) : 'none'}</dd>
          <dt>Memory limit</dt>
          <dd>{jail.memoryMaxBytes !== undefined ? `${mib(jail.memoryMaxBytes)} (memory.max)` : 'none'}</dd>
          {jail.cgroup && (
            <>
              <dt>Cgroup</dt>
              <dd className="mono small">{jail.cgroup}</dd>
            </>
          )}
          {jail.cgroupMissing.length > 0 && (
            <>
              <dt>Not limited</dt>
              <dd className="muted">the host’s cgroup v2 hierarchy has no {jail.cgroupMissing.join(' or ')} controller</dd>
            </>
          )}
          <dt>Seccomp</dt>
          <dd>{jail.seccomp ? 'on' : 'off'}</dd>
          <dt>Network namespace</dt>
          <dd className="mono small">{jail.netns ?? 'none (no network)'}</dd>
          {jail.noFile !== undefined && (
            <>
              <dt>Open files</dt>
              <dd>at most {jail.noFile}</dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}
