import probeSource from '../host-scripts/host-probe.sh';
import { hostScript } from '../ssh/host-script.js';
import { normalizeArch } from '../../shared/arch.js';
import type { HostProbe, KvmVerdict, ToolInfo } from '../../shared/channels/hosts.js';

/**
 * Everything Firedeck needs to know about a host, gathered in one round trip (host-probe.sh).
 * The script interpolates nothing from the app: every value it prints comes from the host.
 */
export const hostProbe = hostScript({ name: 'host-probe', source: probeSource, what: 'Probing the host' });

export function parseProbe(output: string, probedAt: Date): HostProbe {
  const facts = new Map<string, string>();
  for (const line of output.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) facts.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  const text = (key: string) => facts.get(key) ?? '';
  const number = (key: string) => {
    const value = Number.parseInt(text(key), 10);
    return Number.isFinite(value) ? value : null;
  };
  const mib = (key: string) => {
    const kb = number(key);
    return kb === null ? null : Math.floor(kb / 1024);
  };
  const tool = (name: string): ToolInfo =>
    facts.has(`${name}_path`) ? { present: true, path: text(`${name}_path`), version: text(`${name}_version`) || undefined } : { present: false };
  const lima = text('lima') === 'yes';
  const sudo = text('sudo');
  return {
    probedAt: probedAt.toISOString(),
    arch: normalizeArch(text('machine')),
    machine: text('machine'),
    os: text('os') || 'Linux',
    kernel: text('kernel'),
    cpus: number('cpus'),
    memoryMiB: { total: mib('mem_total_kb'), available: mib('mem_available_kb') },
    firedeckDir: text('firedeck_dir'),
    diskFreeMiB: mib('disk_free_kb'),
    sudo: sudo === 'passwordless' || sudo === 'missing' ? sudo : 'password-required',
    socat: tool('socat'),
    firecracker: tool('firecracker'),
    jailer: tool('jailer'),
    lima,
    kvm: kvmVerdict(facts.has('kvm') ? null : text('kvm_error'), { lima, user: text('user') || 'your user', group: text('kvm_group') || 'kvm' }),
  };
}

/** Classifies the error of opening /dev/kvm read-write (LC_ALL=C strerror texts). */
export function kvmVerdict(error: string | null, context: { lima: boolean; user: string; group: string }): HostProbe['kvm'] {
  const useRemote = 'This is a Lima VM: on Apple Silicon neither Lima backend provides a working KVM. Use a remote Linux server (bare metal, or a cloud VM with nested virtualization) instead; another Lima backend will not help.';
  const verdict = (v: KvmVerdict, detail: string, remedy?: string) => ({ verdict: v, detail, ...(remedy ? { remedy } : {}) });
  if (error === null) return verdict('ok', '/dev/kvm opens read-write: this host can run Firecracker.');
  if (/no such file/i.test(error)) {
    return verdict(
      'missing',
      'There is no /dev/kvm on this host (ENOENT): the KVM module is not loaded, or the machine has no virtualization available.',
      context.lima
        ? useRemote
        : 'On bare metal, enable VT-x/AMD-V in the firmware and load the module (sudo modprobe kvm_intel or kvm_amd). On a cloud VM, choose an instance type with nested virtualization or a metal instance.',
    );
  }
  if (/no such device/i.test(error)) {
    return verdict(
      'no-virtualization',
      '/dev/kvm exists, but opening it fails with ENODEV: the processor’s virtualization extensions are not available to this machine.',
      context.lima ? useRemote : 'Enable nested virtualization on the hypervisor that runs this machine, or use a bare-metal host.',
    );
  }
  if (/permission denied|not permitted/i.test(error)) {
    return verdict(
      'permission',
      `${context.user} may not open /dev/kvm (EACCES).`,
      `Add ${context.user} to the ${context.group} group (sudo usermod -aG ${context.group} ${context.user}, then reconnect), or grant access directly with sudo setfacl -m u:${context.user}:rw /dev/kvm.`,
    );
  }
  return verdict('unknown', `Opening /dev/kvm failed: ${error || 'no reason given'}.`, 'Check the kernel log (dmesg) on the host for KVM errors.');
}
