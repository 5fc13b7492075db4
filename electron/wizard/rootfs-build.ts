import rootfsBuildSource from '../host-scripts/rootfs-build.sh';
import rootfsModeSource from '../host-scripts/rootfs-mode.sh';
import rootfsUnpackSource from '../host-scripts/rootfs-unpack.sh';
import { AppError } from '../app-error.js';
import { hostScript } from '../ssh/host-script.js';
import type { SetupContext } from './setup-context.js';
import { runStepScript } from './setup-context.js';
import { packageInstall } from './package-install.js';

const rootfsMode = hostScript({ name: 'rootfs-mode', source: rootfsModeSource, what: 'Checking how to build the root filesystem' });
const rootfsBuild = hostScript({
  name: 'rootfs-build',
  source: rootfsBuildSource,
  what: 'Preparing the root filesystem',
  failures: {
    11: {
      code: 'ROOTFS_UNPACK_FAILED',
      message: ({ stderr }) => `The root filesystem image cannot be unpacked; unsquashfs says: ${stderr.split('\n').join(' / ') || 'nothing'}. It was deleted.`,
      remedy: 'Choose another root filesystem from the catalog, or check the image catalog URL in Settings (a mirror may serve a damaged file).',
    },
    12: {
      code: 'HOST_COMMAND_FAILED',
      message: ({ stderr }) => `mkfs.ext4 could not make the root filesystem: ${stderr.split('\n').join(' / ') || 'no reason given'}.`,
      remedy: 'Check free disk space on the host (e2fsprogs must be installed), then run the setup again.',
    },
  },
  remedy: 'Fix the cause shown, then run the setup again; finished steps are skipped.',
});

type Mode = 'root' | 'fakeroot' | 'sudo';
const said: Record<Mode, string> = {
  root: 'built as root',
  fakeroot: 'built under fakeroot, owners and modes kept',
  sudo: 'built with sudo, owners and modes kept',
};

/**
 * How the unpack-and-build runs as root, so that the image keeps its owners, groups, modes,
 * setuid bits, device nodes and xattrs when the SSH user is not root: fakeroot (installed with
 * the package manager when missing and sudo needs no password), else passwordless sudo.
 */
async function buildMode(ctx: SetupContext): Promise<Mode> {
  const ask = async () => {
    const output = (await runStepScript(ctx, rootfsMode)).output;
    return { mode: /^mode=(\w+)$/m.exec(output)?.[1] ?? 'none', user: /^user=(.*)$/m.exec(output)?.[1] || 'the SSH user' };
  };
  let { mode, user } = await ask();
  if (mode === 'sudo') {
    // As socat is: installed with the package manager. If that fails, sudo itself does the build.
    const installed = await runStepScript(ctx, packageInstall, ['fakeroot'], { timeoutMs: 10 * 60_000 }).then(() => true, () => false);
    if (installed) ({ mode, user } = await ask());
  }
  if (mode === 'root' || mode === 'fakeroot' || mode === 'sudo') return mode;
  throw new AppError(
    'FAKEROOT_MISSING',
    `This host cannot build a root filesystem that keeps the image’s owners, device nodes and setuid bits: ${user} is not root, fakeroot is not installed, and sudo asks for a password (or is missing). Built as ${user}, every file of the guest would belong to ${user}, and the guest’s sshd would refuse its key.`,
    { remedy: 'Install fakeroot on the host (e.g. sudo apt-get install fakeroot), or allow this user passwordless sudo, then run the setup again.' },
  );
}

/** Builds `target` from the downloaded squashfs in `dir`; says how it was built. */
export async function buildRootfs(ctx: SetupContext, files: { dir: string; squashfs: string; target: string }): Promise<string> {
  const mode = await buildMode(ctx);
  await runStepScript(ctx, rootfsBuild, [files.dir, files.squashfs, files.target, ctx.guestPublicKey, mode, rootfsUnpackSource], { timeoutMs: 15 * 60_000 });
  return said[mode];
}
