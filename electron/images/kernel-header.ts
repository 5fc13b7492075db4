import kernelHeaderSource from '../host-scripts/kernel-header.sh';
import { AppError } from '../app-error.js';
import type { ExecOptions, HostConnection } from '../ssh/host-connection.js';
import { hostScript, runHostScript } from '../ssh/host-script.js';
import { detectKernelArch } from './kernel-arch.js';
import type { KernelArch } from './kernel-arch.js';

const kernelHeader = hostScript({
  name: 'kernel-header',
  source: kernelHeaderSource,
  what: 'Reading the kernel header',
  outcomes: { 2: 'unreadable' },
});

/**
 * The architecture of the kernel file at `path` on the host, read from its header (the one
 * way Firedeck reads a kernel header over SSH: before boot, after a download). Null when the
 * file is not a kernel Firecracker can boot; NOT_FOUND when there is no readable file there.
 */
export async function readKernelArch(connection: HostConnection, path: string, options: ExecOptions = {}): Promise<KernelArch | null> {
  const read = await runHostScript(connection, kernelHeader, [path], { timeoutMs: 30_000, ...options });
  if (read.outcome === 'unreadable') {
    throw new AppError('NOT_FOUND', `There is no readable kernel at ${path} on ${connection.name}.`, { remedy: 'Choose a kernel from the host’s images.' });
  }
  return detectKernelArch(Buffer.from(read.output.trim(), 'base64'));
}
