import { posix } from 'node:path';
import imagesInstalledSource from '../host-scripts/images-installed.sh';
import imagesPrepareSource from '../host-scripts/images-prepare.sh';
import fileRemoveSource from '../host-scripts/file-remove.sh';
import kernelInstallSource from '../host-scripts/kernel-install.sh';
import type { Arch } from '../../shared/channels/hosts.js';
import type { CatalogImage } from '../../shared/channels/images.js';
import { newestFirst } from '../../shared/image-order.js';
import { AppError } from '../app-error.js';
import { imagesDir, rootfsFileName } from '../images/image-names.js';
import { readKernelArch } from '../images/kernel-header.js';
import { hostScript } from '../ssh/host-script.js';
import { downloadToHost } from './host-download.js';
import { buildRootfs } from './rootfs-build.js';
import type { SetupContext, SetupStep } from './setup-context.js';
import { probeOf, runStepScript } from './setup-context.js';

const imagesInstalled = hostScript({ name: 'images-installed', source: imagesInstalledSource, what: 'Looking for installed images', outcomes: { 1: 'missing' } });
const imagesPrepare = hostScript({ name: 'images-prepare', source: imagesPrepareSource, what: 'Preparing the image folder' });
const kernelInstall = hostScript({ name: 'kernel-install', source: kernelInstallSource, what: 'Installing the kernel' });
const fileRemove = hostScript({ name: 'file-remove', source: fileRemoveSource, what: 'Removing a refused download' });

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

async function choices(ctx: SetupContext) {
  const catalog = await ctx.catalog();
  const { arch } = probeOf(ctx);
  const kernel = chosen(catalog, 'kernel', ctx.kernelKey, arch);
  const rootfs = chosen(catalog, 'rootfs', ctx.rootfsKey, arch);
  return { kernel, rootfs, rootfsName: rootfsFileName(rootfs.name) };
}

export const imagesStep: SetupStep = {
  name: 'images.install',
  title: 'Kernel and root filesystem',
  async check(ctx) {
    const dir = imagesDir(probeOf(ctx));
    // Nothing particular asked for: any installed, checksummed pair will do, and a re-run then
    // needs no network at all.
    const wanted = ctx.kernelKey || ctx.rootfsKey ? await choices(ctx) : null;
    const found = await runStepScript(ctx, imagesInstalled, wanted ? [dir, wanted.kernel.name, wanted.rootfsName] : [dir], { timeoutMs: 30_000 });
    if (found.outcome === 'missing') return null;
    const [kernel, rootfs] = found.output.trim().split('\t') as [string, string];
    ctx.installed = { kernel: posix.join(dir, kernel), rootfs: posix.join(dir, rootfs) };
    return `${kernel} and ${rootfs} are installed in ${dir}.`;
  },
  async run(ctx) {
    const { kernel, rootfs, rootfsName } = await choices(ctx);
    const probe = probeOf(ctx);
    const dir = imagesDir(probe);
    const relDir = posix.relative(posix.dirname(probe.firedeckDir), dir);
    // Leftovers of an interrupted run (an app quit mid-download) are removed, never used.
    await runStepScript(ctx, imagesPrepare, [dir], { timeoutMs: 60_000 });

    // Kernel: download under a temp name, check its header against the host, then name it.
    const kernelPart = `.${kernel.name}.dl`;
    await downloadToHost(ctx, `${ctx.imageBaseUrl}/${kernel.key}`, `${relDir}/${kernelPart}`);
    const found = await readKernelArch(ctx.connection, posix.join(dir, kernelPart), { signal: ctx.signal });
    if (!found || found.arch !== probe.arch) {
      await runStepScript(ctx, fileRemove, [posix.join(dir, kernelPart)]);
      throw new AppError('KERNEL_ARCH_MISMATCH', found ? `The kernel ${kernel.name} is built for ${found.arch}, but this host is ${probe.arch}; it was deleted.` : `${kernel.name} is not a kernel Firecracker can boot; it was deleted.`, {
        remedy: `Choose another ${probe.arch} kernel from the catalog.`,
      });
    }
    await runStepScript(ctx, kernelInstall, [dir, kernelPart, kernel.name]);

    // Root filesystem: the squashfs is read-only; unpack it, add the guest key, make a writable ext4.
    const squashPart = `.${rootfs.name}.dl`;
    await downloadToHost(ctx, `${ctx.imageBaseUrl}/${rootfs.key}`, `${relDir}/${squashPart}`);
    const how = await buildRootfs(ctx, { dir, squashfs: squashPart, target: rootfsName });
    ctx.installed = { kernel: posix.join(dir, kernel.name), rootfs: posix.join(dir, rootfsName) };
    return `${kernel.name} (${probe.arch}) and ${rootfsName} (with Firedeck’s guest SSH key; ${how}) are in ${dir}.`;
  },
};
