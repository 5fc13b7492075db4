import { arch, release, type } from 'node:os';
import type { HostSummary } from '../../shared/channels/hosts.js';
import type { AppLog } from './app-log.js';

export interface DiagnosticsInput {
  version: string;
  mode: 'electron' | 'browser';
  platform: string;
  hosts: HostSummary[];
  log: AppLog;
  /** The user's home on this machine, shown as ~ so the report does not carry the user's name. */
  home?: string;
}

const mib = (value: number | null) => (value === null ? '?' : `${Math.round(value / 1024)} GiB`);

/**
 * The text "Copy diagnostics" puts on the clipboard: version, OS, each host's probe summary
 * (architecture, OS, kernel, KVM, Firecracker, tools) under its label only — no address, user,
 * key path or secret — and the last errors of the log, redacted.
 */
export function diagnosticsText(input: DiagnosticsInput): string {
  const home = input.home;
  // Hosts are named by their number and label: their addresses and users stay out of the report.
  const names: [string, string][] = input.hosts.flatMap((h, i) => [
    [`${h.address}:${h.port}`, `<host ${i + 1}>`],
    [h.address, `<host ${i + 1}>`],
    [h.user, '<user>'],
  ]);
  const tidy = (text: string) => {
    let out = home ? text.split(home).join('~') : text;
    for (const [from, to] of names) if (from.length > 2) out = out.split(from).join(to);
    return input.log.redact.text(out);
  };
  const lines = [
    `Firedeck ${input.version} (${input.mode}) on ${input.platform} ${type()} ${release()} ${arch()}, Node ${process.versions.node}`,
    `Log: ${tidy(input.log.path)}`,
    '',
    `Hosts (${input.hosts.length}):`,
  ];
  input.hosts.forEach((host, i) => {
    const p = host.probe;
    const state = host.connection.state;
    const head = `  ${i + 1}. ${JSON.stringify(host.label)}: ${state}, transport ${host.transport}, auth ${host.auth.method}`;
    if (!p) {
      lines.push(`${head}; not probed${host.probeError ? ` (${host.probeError.code})` : ''}`);
      return;
    }
    lines.push(
      `${head}`,
      `     ${p.machine} (${p.arch ?? 'unsupported'}), ${p.os || 'unknown OS'}, kernel ${p.kernel}, ${p.cpus ?? '?'} CPUs, ${mib(p.memoryMiB.total)} memory, ${mib(p.diskFreeMiB)} free disk`,
      `     KVM ${p.kvm.verdict}${p.lima ? ' (Lima guest)' : ''}; Firecracker ${p.firecracker.present ? (p.firecracker.version?.replace(/^Firecracker\s+/i, '') ?? 'present') : 'missing'}; jailer ${p.jailer.present ? 'present' : 'missing'}; socat ${p.socat.present ? (p.socat.version ?? 'present') : 'missing'}; sudo ${p.sudo}`,
    );
  });
  const errors = input.log.recentErrors();
  lines.push('', `Last errors and warnings (${errors.length}):`, ...(errors.length ? errors.map((e) => `  ${tidy(e)}`) : ['  none']));
  return `${lines.join('\n')}\n`;
}
