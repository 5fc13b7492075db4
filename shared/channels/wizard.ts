import { z } from 'zod';
import { channel } from '../channel.js';
import { firecrackerVersionSchema } from './settings.js';
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
  /** The kernel and root filesystem the run installed or found (absolute paths on the host), to boot a first microVM with. */
  installed?: { kernel: string; rootfs: string };
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
};

