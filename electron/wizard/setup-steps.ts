import firecrackerInstallSource from '../host-scripts/firecracker-install.sh';
import { AppError } from '../app-error.js';
import { hostScript } from '../ssh/host-script.js';
import { downloadToHost } from './host-download.js';
import { imagesStep } from './images-step.js';
import { packageInstall } from './package-install.js';
import type { SetupContext, SetupStep } from './setup-context.js';
import { probeOf, runStepScript } from './setup-context.js';

const firecrackerInstall = hostScript({
  name: 'firecracker-install',
  source: firecrackerInstallSource,
  what: 'Installing Firecracker',
  failures: {
    3: {
      code: 'FIRECRACKER_CHECKSUM_MISMATCH',
      message: ({ output }) => `The downloaded release does not match its published SHA-256 (${output}); it was deleted and nothing was installed.`,
      remedy: 'Check the release URL in Settings: a mirror may serve a damaged or altered file.',
    },
  },
  remedy: 'Fix the cause shown, then run the setup again; finished steps are skipped.',
});

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
    const via = await downloadToHost(ctx, url, relative);
    const sumsVia = await downloadToHost(ctx, `${url}.sha256.txt`, `${relative}.sha256.txt`);
    const installed = await runStepScript(ctx, firecrackerInstall, [relative, ctx.version, arch], { timeoutMs: 5 * 60_000 });
    const dest = installed.output.trim().split('\n').at(-1);
    ctx.hostProbe = (await ctx.probe()) as SetupContext['hostProbe'];
    return `Firecracker ${ctx.version} for ${arch} installed in ${dest} (${via === 'host' && sumsVia === 'host' ? 'downloaded by the host' : 'downloaded here and uploaded'}; SHA-256 verified).`;
  },
};

export const socatStep: SetupStep = {
  name: 'socat.install',
  title: 'socat (relays API connections for the ssh-exec and tcp transports)',
  async check(ctx) {
    const probe = probeOf(ctx);
    if (probe.socat.present) return `socat ${probe.socat.version ?? ''} is installed.`.replace('  ', ' ');
    if (probe.sudo !== 'passwordless') {
      return 'socat is missing and cannot be installed without sudo; not needed: ssh-unix uses SSH stream-local forwarding, and ssh-exec relays with python3 or perl where socat is absent.';
    }
    return null;
  },
  async run(ctx) {
    await runStepScript(ctx, packageInstall, ['socat'], { timeoutMs: 10 * 60_000 });
    return 'socat installed with the host’s package manager.';
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
