import type { Arch, HostProbe } from '../../shared/channels/hosts.js';
import type { CatalogImage } from '../../shared/channels/images.js';
import type { SetupStepName } from '../../shared/channels/wizard.js';
import type { ExecOptions, HostConnection } from '../ssh/host-connection.js';
import { runHostScript, withArguments } from '../ssh/host-script.js';
import type { HostScript, ScriptResult } from '../ssh/host-script.js';
import type { Step } from '../steps/step-runner.js';
import type { TransferRegistry } from '../transfers/transfer-registry.js';

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
  transfers: TransferRegistry;
  signal: AbortSignal;
  /** Records a command the step is about to run on the host, for the wizard to show. */
  command(text: string): void;
  progress(done: number, total: number): void;
  /** Filled by `images.install`: what a first microVM boots. */
  installed?: { kernel: string; rootfs: string };
}

/** A host setup step: a step of the one runner, with a title to show. */
export interface SetupStep extends Step<SetupContext> {
  name: SetupStepName;
  title: string;
  run(ctx: SetupContext): Promise<string>;
}

export const probeOf = (ctx: SetupContext): HostProbe & { arch: Arch } => ctx.hostProbe!;

/** Runs a host script for a step: records it (as it runs, with its arguments) for the wizard to show, and honours the run's cancel. */
export function runStepScript<O extends string>(ctx: SetupContext, script: HostScript<O>, args: readonly (string | number)[] = [], options: ExecOptions = {}): Promise<ScriptResult<O>> {
  ctx.command(withArguments(script.source, args));
  return runHostScript(ctx.connection, script, args, { signal: ctx.signal, ...options });
}
