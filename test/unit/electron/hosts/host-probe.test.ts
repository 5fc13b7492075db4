import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kvmVerdict, parseProbe } from '../../../../electron/hosts/host-probe';
import probeScript from '../../../../electron/host-scripts/host-probe.sh';
import { frameScript } from '../../../../electron/ssh/remote-command';
import type { KvmVerdict } from '../../../../shared/channels/hosts';

const probedAt = new Date('2026-03-04T05:06:07.000Z');

/** What probeScript prints on a typical Ubuntu server where the user may not open /dev/kvm. */
const UBUNTU_OUTPUT = [
  'machine=x86_64',
  'kernel=6.8.0-45-generic',
  'os=Ubuntu 24.04.1 LTS',
  'cpus=16',
  'mem_total_kb=65843200',
  'mem_available_kb=51200000',
  'user=alice',
  'firedeck_dir=/home/alice/.firedeck',
  'disk_free_kb=104857600',
  'sudo=passwordless',
  'socat_path=/usr/bin/socat',
  'socat_version=1.8.0.0',
  'firecracker_path=/home/alice/.firedeck/bin/firecracker',
  'firecracker_version=Firecracker v1.10.1',
  'lima=no',
  'kvm_error=sh: 1: cannot create /dev/kvm: Permission denied ',
  'kvm_group=kvm',
  '',
].join('\n');

const KNOWN_VERDICTS: KvmVerdict[] = ['ok', 'missing', 'no-virtualization', 'permission', 'unknown'];

describe('parseProbe', () => {
  it('reads a realistic probe output', () => {
    expect(parseProbe(UBUNTU_OUTPUT, probedAt)).toEqual({
      probedAt: '2026-03-04T05:06:07.000Z',
      arch: 'x86_64',
      machine: 'x86_64',
      os: 'Ubuntu 24.04.1 LTS',
      kernel: '6.8.0-45-generic',
      cpus: 16,
      memoryMiB: { total: 64300, available: 50000 },
      firedeckDir: '/home/alice/.firedeck',
      diskFreeMiB: 102400,
      sudo: 'passwordless',
      socat: { present: true, path: '/usr/bin/socat', version: '1.8.0.0' },
      firecracker: { present: true, path: '/home/alice/.firedeck/bin/firecracker', version: 'Firecracker v1.10.1' },
      jailer: { present: false },
      lima: false,
      kvm: {
        verdict: 'permission',
        detail: expect.stringContaining('alice'),
        remedy: expect.stringContaining('sudo usermod -aG kvm alice'),
      },
    });
  });

  it('ignores login-shell noise and lines without a key', () => {
    const noisy = `Welcome!\n=oops\n${UBUNTU_OUTPUT}garbage line\n`;
    expect(parseProbe(noisy, probedAt)).toEqual(parseProbe(UBUNTU_OUTPUT, probedAt));
  });

  it.each([
    ['x86_64', 'x86_64'],
    ['amd64', 'x86_64'],
    ['aarch64', 'aarch64'],
    ['arm64', 'aarch64'],
    ['riscv64', null],
    ['armv7l', null],
  ])('normalises machine %s to arch %s and keeps the raw machine', (machine, arch) => {
    const probe = parseProbe(`machine=${machine}\nkvm=ok\n`, probedAt);
    expect(probe.arch).toBe(arch);
    expect(probe.machine).toBe(machine);
  });

  it('turns missing facts into nulls and safe defaults', () => {
    const probe = parseProbe('kvm=ok\n', probedAt);
    expect(probe).toMatchObject({
      arch: null,
      machine: '',
      os: 'Linux',
      cpus: null,
      memoryMiB: { total: null, available: null },
      diskFreeMiB: null,
      sudo: 'password-required',
      socat: { present: false },
      firecracker: { present: false },
      jailer: { present: false },
      lima: false,
      kvm: { verdict: 'ok' },
    });
  });

  it('treats non-numeric numbers as unknown rather than NaN', () => {
    const probe = parseProbe('cpus=\nmem_total_kb=lots\ndisk_free_kb=\nkvm=ok\n', probedAt);
    expect(probe.cpus).toBeNull();
    expect(probe.memoryMiB.total).toBeNull();
    expect(probe.diskFreeMiB).toBeNull();
  });

  it('reports a tool without a version as present with version undefined', () => {
    const probe = parseProbe('jailer_path=/usr/local/bin/jailer\njailer_version=\nkvm=ok\n', probedAt);
    expect(probe.jailer).toEqual({ present: true, path: '/usr/local/bin/jailer', version: undefined });
  });

  it.each(['missing', 'passwordless', 'password-required'] as const)('reads sudo=%s', (sudo) => {
    expect(parseProbe(`sudo=${sudo}\nkvm=ok\n`, probedAt).sudo).toBe(sudo);
  });

  it('uses the host user and group in the permission remedy', () => {
    const probe = parseProbe('user=bob\nkvm_group=hypervisor\nkvm_error=sh: 1: cannot create /dev/kvm: Permission denied\n', probedAt);
    expect(probe.kvm.verdict).toBe('permission');
    expect(probe.kvm.remedy).toContain('sudo usermod -aG hypervisor bob');
    expect(probe.kvm.remedy).toContain('sudo setfacl -m u:bob:rw /dev/kvm');
  });

  it('tells a Lima user with no working KVM to use a remote Linux server', () => {
    const probe = parseProbe('machine=aarch64\nlima=yes\nkvm_error=sh: 1: cannot create /dev/kvm: No such device \n', probedAt);
    expect(probe.lima).toBe(true);
    expect(probe.kvm.verdict).toBe('no-virtualization');
    expect(probe.kvm.remedy).toMatch(/remote Linux server/);
  });

  it('does not call KVM ok when the output was cut off before the kvm line', () => {
    expect(parseProbe('machine=x86_64\n', probedAt).kvm.verdict).toBe('unknown');
  });
});

describe('kvmVerdict', () => {
  const plain = { lima: false, user: 'alice', group: 'kvm' };
  const lima = { lima: true, user: 'alice', group: 'kvm' };

  it('says ok when /dev/kvm opened', () => {
    expect(kvmVerdict(null, plain).verdict).toBe('ok');
    expect(kvmVerdict(null, plain).remedy).toBeUndefined();
  });

  // Texts as a real dash prints them under LC_ALL=C (`exec 3<>` reports "cannot create";
  // other shells and versions say "cannot open"), plus the probe's own ENOENT line.
  it.each([
    ['sh: 1: cannot open /dev/kvm: No such device', 'no-virtualization'],
    ['sh: 1: cannot create /dev/kvm: No such device', 'no-virtualization'],
    ['sh: 1: cannot open /dev/kvm: Permission denied', 'permission'],
    ['/bin/sh: 1: cannot create /dev/kvm: Permission denied', 'permission'],
    ['sh: 1: cannot open /dev/kvm: Operation not permitted', 'permission'],
    ['sh: 1: cannot open /dev/kvm: No such file or directory', 'missing'],
    ['No such file or directory', 'missing'],
    ['sh: 1: cannot open /dev/kvm: Device or resource busy', 'unknown'],
    ['', 'unknown'],
  ] as const)('classifies %j as %s', (error, verdict) => {
    expect(kvmVerdict(error, plain).verdict).toBe(verdict);
  });

  it('names the user and group in the permission remedy', () => {
    const result = kvmVerdict('sh: 1: cannot open /dev/kvm: Permission denied', { lima: false, user: 'carol', group: 'kvm' });
    expect(result.detail).toContain('carol');
    expect(result.remedy).toContain('usermod -aG kvm carol');
    expect(result.remedy).toContain('setfacl -m u:carol:rw /dev/kvm');
  });

  it('sends Lima users to a remote Linux server for both ENODEV and ENOENT', () => {
    for (const error of ['sh: 1: cannot open /dev/kvm: No such device', 'No such file or directory']) {
      const result = kvmVerdict(error, lima);
      expect(result.remedy).toMatch(/Use a remote Linux server/);
      expect(result.remedy).not.toMatch(/modprobe/);
    }
  });

  it('gives non-Lima hosts hardware advice instead', () => {
    expect(kvmVerdict('No such file or directory', plain).remedy).toMatch(/modprobe/);
    expect(kvmVerdict('sh: 1: cannot open /dev/kvm: No such device', plain).remedy).toMatch(/nested virtualization/);
    expect(kvmVerdict('sh: 1: cannot open /dev/kvm: No such device', plain).remedy).not.toMatch(/Lima/);
  });

  it('quotes an unknown error in the detail', () => {
    expect(kvmVerdict('sh: 1: cannot open /dev/kvm: Device or resource busy', plain).detail).toContain('Device or resource busy');
  });
});

/** An oracle independent of the script: what opening /dev/kvm read-write does for this process. */
function expectedLocalKvmVerdict(): KvmVerdict {
  if (!existsSync('/dev/kvm')) return 'missing';
  try {
    closeSync(openSync('/dev/kvm', 'r+'));
    return 'ok';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENODEV' || code === 'ENXIO') return 'no-virtualization';
    if (code === 'EACCES' || code === 'EPERM') return 'permission';
    return 'unknown';
  }
}

const sh = (command: string) => execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }).trim();

describe('probeScript on this machine', () => {
  it('runs under /bin/sh and parses to this machine’s facts', () => {
    const output = execFileSync('/bin/sh', ['-c', probeScript], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    const probe = parseProbe(output, probedAt);
    const machine = sh('uname -m');
    const expectedArch = machine === 'x86_64' || machine === 'amd64' ? 'x86_64' : machine === 'aarch64' || machine === 'arm64' ? 'aarch64' : null;
    expect(probe.machine).toBe(machine);
    expect(probe.arch).toBe(expectedArch);
    expect(probe.kernel).toBe(sh('uname -r'));
    expect(probe.cpus).toBe(Number(sh('nproc')));
    expect(probe.memoryMiB.total).toBeGreaterThan(0);
    expect(probe.memoryMiB.available).toBeGreaterThan(0);
    expect(probe.diskFreeMiB).toBeGreaterThan(0);
    expect(probe.firedeckDir).toBe(`${process.env.HOME}/.firedeck`);
    expect(KNOWN_VERDICTS).toContain(probe.kvm.verdict);
    expect(probe.kvm.verdict).toBe(expectedLocalKvmVerdict());
  });

  it('gives the same facts when run framed through a noisy login shell', () => {
    const framed = frameScript(probeScript);
    const stdout = spawnSync('bash', ['-c', `echo banner; ${framed.command}`], { encoding: 'utf8' }).stdout;
    const parsed = framed.parse(stdout);
    expect(parsed?.exitCode).toBe(0);
    const probe = parseProbe(parsed?.output ?? '', probedAt);
    expect(probe.machine).toBe(sh('uname -m'));
    expect(probe.cpus).toBe(Number(sh('nproc')));
    expect(probe.socat.present).toBe(sh('command -v socat || true') !== '');
    expect(probe.kvm.verdict).toBe(expectedLocalKvmVerdict());
  });

  // As an unprivileged user outside the kvm group, the real device refuses a read-write open.
  const kvmClosedToOthers = existsSync('/dev/kvm') && (statSync('/dev/kvm').mode & 0o006) === 0;
  const canDropPrivileges = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;
  it.runIf(kvmClosedToOthers && canDropPrivileges)('reports permission with a remedy for the real user when /dev/kvm is not theirs', () => {
    const result = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/sh', '-c', probeScript],
      { encoding: 'utf8', cwd: '/', env: { PATH: process.env.PATH, HOME: '/nonexistent', LC_ALL: 'C' } },
    );
    const probe = parseProbe(result.stdout, probedAt);
    const user = spawnSync('setpriv', ['--reuid=65534', 'id', '-un'], { encoding: 'utf8' }).stdout.trim();
    expect(probe.kvm.verdict).toBe('permission');
    expect(probe.kvm.remedy).toContain(`usermod -aG ${statGroup('/dev/kvm')} ${user}`);
    expect(probe.kvm.remedy).toContain(`setfacl -m u:${user}:rw /dev/kvm`);
  });
});

function statGroup(path: string): string {
  return execFileSync('stat', ['-c', '%G', path], { encoding: 'utf8' }).trim();
}
