import { posix } from 'node:path';
import type { Arch, HostProbe } from '../../shared/channels/hosts.js';
import { newestFirst } from '../../shared/image-order.js';
import type { CatalogImage, SetupStepName } from '../../shared/channels/wizard.js';
import { AppError } from '../app-error.js';
import { detectKernelArch } from '../images/kernel-arch.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { shq } from '../ssh/shell-quote.js';
import { downloadToHost } from './host-download.js';

/** What the setup steps read and fill. */
export interface SetupContext {
  connection: HostConnection;
  connect(): Promise<void>;
  probe(): Promise<HostProbe>;
  /** Filled by `host.probe`. */
  hostProbe?: HostProbe & { arch: Arch };
  version: string;
  releaseBaseUrl: string;
  imageBaseUrl: string;
  catalog(): Promise<CatalogImage[]>;
  kernelKey?: string;
  rootfsKey?: string;
  guestPublicKey: string;
  fetch: typeof fetch;
  signal: AbortSignal;
  /** Records a command the step is about to run on the host, for the wizard to show. */
  command(text: string): void;
  progress(done: number, total: number): void;
}

export interface SetupStep {
  name: SetupStepName;
  title: string;
  /** Returns why the step is not needed (already done), or null to run it. */
  check?(ctx: SetupContext): Promise<string | null>;
  /** Returns a short account of what was done. */
  run(ctx: SetupContext): Promise<string>;
}

const probeOf = (ctx: SetupContext) => ctx.hostProbe!;
const imagesDir = (ctx: SetupContext) => posix.join(probeOf(ctx).firedeckDir, 'images', probeOf(ctx).arch);

async function exec(ctx: SetupContext, script: string, what: string, timeoutMs = 10 * 60_000) {
  ctx.command(script);
  const result = await ctx.connection.exec(script, { timeoutMs, signal: ctx.signal });
  if (result.exitCode !== 0) {
    throw new AppError('HOST_COMMAND_FAILED', `${what} failed on the host: ${(result.output || result.stderr).trim().split('\n').slice(-3).join(' / ') || `exit ${result.exitCode}`}`, {
      remedy: 'Fix the cause shown, then run the setup again; finished steps are skipped.',
    });
  }
  return result.output;
}

/** `Firecracker v1.12.0` → [1, 12, 0]. */
function versionOf(text: string | undefined): number[] | null {
  const match = /v?(\d+)\.(\d+)\.(\d+)/.exec(text ?? '');
  return match ? match.slice(1).map(Number) : null;
}

function atLeast(have: number[], want: number[]): boolean {
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i]! > want[i]!;
  return true;
}

export const connectStep: SetupStep = {
  name: 'host.connect',
  title: 'Connect and trust the host key',
  async run(ctx) {
    await ctx.connect();
    return 'Connected over SSH; the host key is trusted.';
  },
};

const kvmCodes = { missing: 'KVM_MISSING', 'no-virtualization': 'KVM_ENODEV', permission: 'KVM_EACCES', unknown: 'KVM_UNKNOWN' } as const;

export const probeStep: SetupStep = {
  name: 'host.probe',
  title: 'Check architecture, OS and KVM',
  async run(ctx) {
    const probe = await ctx.probe();
    if (!probe.arch) throw new AppError('HOST_UNSUPPORTED', `This host is a ${probe.machine} machine; Firecracker runs on x86_64 and aarch64 only.`, { remedy: 'Use another host.' });
    if (probe.kvm.verdict !== 'ok') {
      throw new AppError(kvmCodes[probe.kvm.verdict], probe.kvm.detail, { remedy: probe.kvm.remedy, details: { verdict: probe.kvm.verdict, lima: probe.lima } });
    }
    ctx.hostProbe = probe as SetupContext['hostProbe'];
    return `${probe.arch}, ${probe.os}, kernel ${probe.kernel}; /dev/kvm opens read-write.`;
  },
};

export const firecrackerStep: SetupStep = {
  name: 'firecracker.install',
  title: 'Install Firecracker',
  async check(ctx) {
    const installed = probeOf(ctx).firecracker;
    const have = versionOf(installed.version);
    const want = versionOf(ctx.version)!;
    return installed.present && have && atLeast(have, want) ? `${installed.version} is installed at ${installed.path}.` : null;
  },
  async run(ctx) {
    const { arch } = probeOf(ctx);
    const name = `firecracker-${ctx.version}-${arch}.tgz`;
    const url = `${ctx.releaseBaseUrl}/${ctx.version}/${name}`;
    const relative = `.firedeck/downloads/${name}`;
    const { via } = await downloadToHost({ connection: ctx.connection, url, remoteRelative: relative, fetch: ctx.fetch, signal: ctx.signal, onCommand: ctx.command, onProgress: ctx.progress });
    const sums = await downloadToHost({ connection: ctx.connection, url: `${url}.sha256.txt`, remoteRelative: `${relative}.sha256.txt`, fetch: ctx.fetch, signal: ctx.signal, onCommand: ctx.command, onProgress: () => {} });
    const tarball = `"$HOME"/${shq(relative)}`;
    const release = `release-${ctx.version}-${arch}`;
    const script = [
      'set -e',
      `expected=$(cut -c1-64 ${tarball}.sha256.txt)`,
      `actual=$(sha256sum -- ${tarball} | cut -c1-64)`,
      `if [ "$expected" != "$actual" ]; then rm -f -- ${tarball} ${tarball}.sha256.txt; echo "checksum mismatch: published $expected, downloaded $actual"; exit 3; fi`,
      'rm -rf -- "$HOME/.firedeck/downloads"/extract.* # left by an interrupted run',
      'work=$(mktemp -d "$HOME/.firedeck/downloads/extract.XXXXXX")',
      `tar -xzf ${tarball} -C "$work"`,
      // With sudo the binaries go where every user finds them; without, into ~/.firedeck/bin.
      'if sudo -n true 2>/dev/null; then dest=/usr/local/bin; as="sudo -n"; else dest="$HOME/.firedeck/bin"; as=; mkdir -p "$dest"; fi',
      'for tool in firecracker jailer; do',
      `  $as install -m 0755 "$work"/${shq(`${release}/`)}"$tool"${shq(`-${ctx.version}-${arch}`)} "$dest/.$tool.part"`,
      '  $as mv -f "$dest/.$tool.part" "$dest/$tool"',
      'done',
      'rm -rf -- "$work"',
      'echo "$dest"',
    ].join('\n');
    ctx.command(script);
    const result = await ctx.connection.exec(script, { timeoutMs: 5 * 60_000, signal: ctx.signal });
    if (result.exitCode === 3) {
      throw new AppError('FIRECRACKER_CHECKSUM_MISMATCH', `The downloaded ${name} does not match its published SHA-256 (${result.output.trim()}); it was deleted and nothing was installed.`, {
        remedy: 'Check the release URL in Settings: a mirror may serve a damaged or altered file.',
      });
    }
    if (result.exitCode !== 0) throw new AppError('HOST_COMMAND_FAILED', `Installing Firecracker failed: ${(result.output || result.stderr).trim()}`);
    const dest = result.output.trim().split('\n').at(-1);
    await ctx.probe().then((probe) => (ctx.hostProbe = probe as SetupContext['hostProbe']));
    return `Firecracker ${ctx.version} for ${arch} installed in ${dest} (${via === 'host' && sums.via === 'host' ? 'downloaded by the host' : 'downloaded here and uploaded'}; SHA-256 verified).`;
  },
};

const packageManagers = [
  ['apt-get', 'sudo -n apt-get install -y socat'],
  ['dnf', 'sudo -n dnf install -y socat'],
  ['yum', 'sudo -n yum install -y socat'],
  ['apk', 'sudo -n apk add socat'],
  ['pacman', 'sudo -n pacman -S --noconfirm socat'],
  ['zypper', 'sudo -n zypper --non-interactive install socat'],
] as const;

export const socatStep: SetupStep = {
  name: 'socat.install',
  title: 'socat (for the ssh-tcp transport)',
  async check(ctx) {
    const probe = probeOf(ctx);
    if (probe.socat.present) return `socat ${probe.socat.version ?? ''} is installed.`.replace('  ', ' ');
    if (probe.sudo !== 'passwordless') {
      return 'socat is missing and cannot be installed without sudo; not needed: Firedeck reaches the API through SSH stream-local forwarding (ssh-unix).';
    }
    return null;
  },
  async run(ctx) {
    const script = [
      ...packageManagers.map(([manager, install], i) => `${i === 0 ? 'if' : 'elif'} command -v ${manager} >/dev/null 2>&1; then ${install}`),
      'else echo "no supported package manager"; exit 4; fi',
    ].join('\n');
    await exec(ctx, script, 'Installing socat');
    return 'socat installed with the host’s package manager.';
  },
};

/** The chosen image of a kind: the requested key, else the newest of the host's architecture. */
function chosen(images: CatalogImage[], kind: 'kernel' | 'rootfs', key: string | undefined, arch: Arch): CatalogImage {
  const candidates = images.filter((i) => i.kind === kind && i.arch === arch);
  const pick = key ? images.find((i) => i.key === key && i.kind === kind) : candidates.sort(newestFirst)[0];
  if (!pick) throw new AppError('CATALOG_EMPTY', `The image catalog has no ${kind} for ${arch}.`, { remedy: 'Check the image catalog URL and the Firecracker version in Settings.' });
  if (pick.arch !== arch) {
    throw new AppError('KERNEL_ARCH_MISMATCH', `${pick.name} is built for ${pick.arch}, but this host is ${arch}.`, { remedy: `Choose an ${arch} image.` });
  }
  return pick;
}

const rootfsName = (image: CatalogImage) => `rootfs-${image.name.replace(/\.(squashfs|ext4)$/, '')}.ext4`;

export const imagesStep: SetupStep = {
  name: 'images.install',
  title: 'Kernel and root filesystem',
  async check(ctx) {
    const dir = imagesDir(ctx);
    if (!ctx.kernelKey && !ctx.rootfsKey) {
      // Nothing particular asked for: any installed, checksummed pair will do, and a re-run then
      // needs no network at all.
      const any = await ctx.connection.exec(
        `cd -- ${shq(dir)} 2>/dev/null || exit 1\nk=; r=\nfor f in vmlinux-*; do [ -f "$f" ] && [ -f "$f.sha256" ] && k="$f"; done\nfor f in rootfs-*.ext4; do [ -f "$f" ] && [ -f "$f.sha256" ] && r="$f"; done\n[ -n "$k" ] && [ -n "$r" ] && echo "$k $r"`,
      );
      const [kernel, rootfs] = any.output.trim().split(' ');
      return any.exitCode === 0 && kernel && rootfs ? `${kernel} and ${rootfs} are installed in ${dir}.` : null;
    }
    const catalog = await ctx.catalog();
    const { arch } = probeOf(ctx);
    const kernel = chosen(catalog, 'kernel', ctx.kernelKey, arch);
    const rootfs = chosen(catalog, 'rootfs', ctx.rootfsKey, arch);
    const have = await ctx.connection.exec(`cd -- ${shq(dir)} 2>/dev/null && [ -f ${shq(kernel.name)} ] && [ -f ${shq(`${kernel.name}.sha256`)} ] && [ -f ${shq(rootfsName(rootfs))} ] && [ -f ${shq(`${rootfsName(rootfs)}.sha256`)} ]`);
    return have.exitCode === 0 ? `${kernel.name} and ${rootfsName(rootfs)} are installed in ${dir}.` : null;
  },
  async run(ctx) {
    const catalog = await ctx.catalog();
    const { arch } = probeOf(ctx);
    const kernel = chosen(catalog, 'kernel', ctx.kernelKey, arch);
    const rootfs = chosen(catalog, 'rootfs', ctx.rootfsKey, arch);
    const dir = imagesDir(ctx);
    const relDir = posix.relative(posix.dirname(probeOf(ctx).firedeckDir), dir);
    // Leftovers of an interrupted run (an app quit mid-download) are removed, never used.
    await exec(ctx, `mkdir -p -- ${shq(dir)}\nrm -rf -- ${shq(dir)}/.*.part ${shq(dir)}/.*.dl ${shq(dir)}/.rootfs-build.*`, 'Preparing the image folder');

    // Kernel: download under a temp name, check its header against the host, then name it.
    const kernelPart = `.${kernel.name}.dl`;
    await downloadToHost({ connection: ctx.connection, url: `${ctx.imageBaseUrl}/${kernel.key}`, remoteRelative: `${relDir}/${kernelPart}`, fetch: ctx.fetch, signal: ctx.signal, onCommand: ctx.command, onProgress: ctx.progress });
    const header = await exec(ctx, `head -c 64 -- ${shq(`${dir}/${kernelPart}`)} | base64 | tr -d '\\n'`, 'Reading the kernel header');
    const found = detectKernelArch(Buffer.from(header.trim(), 'base64'));
    if (!found || found.arch !== arch) {
      await ctx.connection.exec(`rm -f -- ${shq(`${dir}/${kernelPart}`)}`);
      throw new AppError('KERNEL_ARCH_MISMATCH', found ? `The kernel ${kernel.name} is built for ${found.arch}, but this host is ${arch}; it was deleted.` : `${kernel.name} is not a kernel Firecracker can boot; it was deleted.`, {
        remedy: `Choose another ${arch} kernel from the catalog.`,
      });
    }
    await exec(ctx, [`cd -- ${shq(dir)}`, `sha256sum -- ${shq(kernelPart)} | cut -c1-64 > ${shq(`${kernel.name}.sha256`)}`, `mv -f -- ${shq(kernelPart)} ${shq(kernel.name)}`].join('\n'), 'Installing the kernel');

    // Root filesystem: the squashfs is read-only; unpack it, add the guest key, make a writable ext4.
    const squashPart = `.${rootfs.name}.dl`;
    await downloadToHost({ connection: ctx.connection, url: `${ctx.imageBaseUrl}/${rootfs.key}`, remoteRelative: `${relDir}/${squashPart}`, fetch: ctx.fetch, signal: ctx.signal, onCommand: ctx.command, onProgress: ctx.progress });
    const target = rootfsName(rootfs);
    await exec(
      ctx,
      [
        'set -e',
        'PATH="$PATH:/usr/sbin:/sbin"',
        `cd -- ${shq(dir)}`,
        'build=$(mktemp -d .rootfs-build.XXXXXX)',
        `unsquashfs -q -n -d "$build/tree" ${shq(squashPart)} >/dev/null 2>&1 || unsquashfs -d "$build/tree" ${shq(squashPart)} >/dev/null`,
        'mkdir -p "$build/tree/root/.ssh"',
        `printf '%s\\n' ${shq(ctx.guestPublicKey)} >> "$build/tree/root/.ssh/authorized_keys"`,
        'chmod 700 "$build/tree/root/.ssh"; chmod 600 "$build/tree/root/.ssh/authorized_keys"',
        'size=$(( $(du -sm "$build/tree" | cut -f1) + 256 ))',
        `mkfs.ext4 -q -F -d "$build/tree" ${shq(`.${target}.part`)} "\${size}M"`,
        `sha256sum -- ${shq(`.${target}.part`)} | cut -c1-64 > ${shq(`${target}.sha256`)}`,
        `mv -f -- ${shq(`.${target}.part`)} ${shq(target)}`,
        `rm -rf -- "$build" ${shq(squashPart)}`,
      ].join('\n'),
      'Preparing the root filesystem',
    );
    return `${kernel.name} (${arch}) and ${target} (with Firedeck’s guest SSH key) are in ${dir}.`;
  },
};

export const readyStep: SetupStep = {
  name: 'ready',
  title: 'Ready',
  async run(ctx) {
    const probe = probeOf(ctx);
    return `${probe.arch} host with KVM, ${probe.firecracker.version ?? 'Firecracker'} and images: ready for microVMs.`;
  },
};

/** The host setup, in order. Every step is safe to run again: checks skip what is done. */
export const setupSteps: readonly SetupStep[] = [connectStep, probeStep, firecrackerStep, socatStep, imagesStep, readyStep];
