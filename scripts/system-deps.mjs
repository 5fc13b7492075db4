// The Debian packages the test suites drive for real. On Debian as root they are installed
// when missing; elsewhere the runner names what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** package → a file that proves it is installed */
export const systemPackages = {
  chromium: '/usr/bin/chromium',
  'openssh-server': '/usr/sbin/sshd',
  'openssh-client': '/usr/bin/ssh-keygen',
  socat: '/usr/bin/socat',
  curl: '/usr/bin/curl',
  'squashfs-tools': '/usr/bin/mksquashfs',
  'e2fsprogs': '/usr/sbin/mkfs.ext4',
  procps: '/usr/bin/pgrep',
  sudo: '/usr/bin/sudo',
  // host scripts are linted with it (npm run lint)
  shellcheck: '/usr/bin/shellcheck',
  // host scripts are unit-tested under dash, the /bin/sh of Debian hosts
  dash: '/usr/bin/dash',
  // guest networking: the helper's namespaces and NAT, and the test rig's internet stand-in DNS
  iproute2: '/usr/sbin/ip',
  nftables: '/usr/sbin/nft',
  'dnsmasq-base': '/usr/sbin/dnsmasq',
  // the wizard builds root filesystems under it when the SSH user is not root
  fakeroot: '/usr/bin/fakeroot',
  // the rootfs test puts an extended attribute into its squashfs
  attr: '/usr/bin/setfattr',
  // the real test guest (test/support/real-guest.ts): QEMU runs it behind the Firecracker
  // emulator, and it is built from Debian packages (mmdebstrap; busybox-static for its initramfs)
  'qemu-system-x86': '/usr/bin/qemu-system-x86_64',
  'busybox-static': '/usr/share/doc/busybox-static/copyright',
  mmdebstrap: '/usr/bin/mmdebstrap',
  // upload-receive.sh receives with it where a host has it (its unit test runs both ways)
  'python3-minimal': '/usr/bin/python3',
  // the guest sync bench's baseline (npm run bench -- guest)
  rsync: '/usr/bin/rsync',
};

export function ensureSystemPackages(log = console.log) {
  const missing = Object.entries(systemPackages)
    .filter(([, file]) => !existsSync(file))
    .map(([name]) => name);
  if (missing.length === 0) return true;
  const canInstall = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    log(`Missing system packages: ${missing.join(', ')}. Install them (on Debian: sudo apt-get install ${missing.join(' ')}) and run the tests again.`);
    return false;
  }
  log(`Installing system packages: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  return update.status === 0 && install.status === 0;
}
