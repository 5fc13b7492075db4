import { z } from 'zod';
import { channel } from '../channel.js';
import { firecrackerVersionSchema } from './settings.js';
import type { Arch } from './hosts.js';
import type { AppErrorShape } from '../errors.js';

export type SetupStepName = 'host.connect' | 'host.probe' | 'firecracker.install' | 'socat.install' | 'images.install' | 'ready';
export type SetupStepStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed';

export interface SetupStepState {
  name: SetupStepName;
  title: string;
  status: SetupStepStatus;
  /** What was found or done, or why the step was not needed. */
  detail?: string;
  /** The exact commands the step ran on the host. */
  commands: string[];
  progress?: { done: number; total: number };
  error?: AppErrorShape;
}

export interface SetupReport {
  hostId: string;
  running: boolean;
  steps: SetupStepState[];
  finishedAt?: string;
}

export interface CatalogImage {
  /** The bucket key, e.g. firecracker-ci/v1.12/x86_64/vmlinux-6.1.102. */
  key: string;
  name: string;
  arch: Arch;
  kind: 'kernel' | 'rootfs';
  sizeBytes: number;
  /** False for images of another architecture than the host's. */
  compatible: boolean;
}

export const wizardChannels = {
  /** Runs (or re-runs: every step skips what is already done) the host setup. */
  'wizard.run': channel<SetupReport>()(
    z
      .object({
        hostId: z.string().uuid(),
        firecrackerVersion: firecrackerVersionSchema.optional(),
        kernelKey: z.string().max(1024).optional(),
        rootfsKey: z.string().max(1024).optional(),
      })
      .strict(),
  ),
  'wizard.cancel': channel<{ cancelled: boolean }>()(z.object({ hostId: z.string().uuid() }).strict()),
  /** On a `permission` KVM verdict: adds the SSH user to /dev/kvm's group with sudo, then reconnects. */
  'wizard.grantKvmAccess': channel<{ verdict: string }>()(z.object({ hostId: z.string().uuid() }).strict()),
  'wizard.report': channel<SetupReport | null>()(z.object({ hostId: z.string().uuid() }).strict()),
  /** The image bucket's kernels and root filesystems for both architectures, marked by what fits the host. */
  'images.catalog': channel<CatalogImage[]>()(z.object({ hostId: z.string().uuid() }).strict()),
};

