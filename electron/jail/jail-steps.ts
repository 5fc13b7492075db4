import { posix } from 'node:path';
import type { JailSettings, UnjailedReason } from '../../shared/channels/jail.js';
import { defaultJailSettings } from '../../shared/channels/jail.js';
import type { VmCreateRequest } from '../../shared/channels/vms.js';
import { HELPER_PATH, HELPER_SHA256 } from '../network/network-helper.js';
import type { VmNetwork } from '../network/network-service.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { runHostScript } from '../ssh/host-script.js';
import type { Step } from '../steps/step-runner.js';
import type { VmPaths } from '../vms/vm-paths.js';
import { parseFacts } from './jail-facts.js';
import { jailCheck, jailStart, jailStop } from './jail-scripts.js';

/** What the jail steps read and fill of a VM start's context (VmStartContext has all of it). */
export interface JailStepContext {
  request: VmCreateRequest;
  connection: HostConnection;
  paths: VmPaths;
  firecrackerBinary: string;
  /** The installed release's jailer, as the host probe found it. */
  jailerBinary?: string;
  /** Read when the start begins (Settings → Jail). */
  jailSettings?: JailSettings;
  /** Used by the restore variant. */
  snapshot?: { statePath: string; memPath: string };
  /** The VM's network namespace, when the network steps made one (the jail joins it). */
  vmNetwork?: VmNetwork;
  /** Filled by `jail.decide`. */
  jail?: { jailed: true } | { jailed: false; reason: UnjailedReason };
  /** Filled by the jailed start: the jail's uid. */
  jailUid?: number;
}

/**
 * Decides whether this VM starts jailed: where the privileged helper is installed (as shipped,
 * runnable through sudo) and the installed release's jailer and Firecracker are root's alone.
 * Otherwise the VM starts as today and its run directory says why (`unjailed=REASON`).
 * Goes after `host.prepareRunDir`.
 */
export const decideJail: Step<JailStepContext> = {
  name: 'jail.decide',
  async run(ctx) {
    const result = await runHostScript(
      ctx.connection,
      jailCheck,
      [ctx.paths.dir, HELPER_PATH, HELPER_SHA256, ctx.jailerBinary ?? '', ctx.firecrackerBinary, typeof ctx.request.network === 'object' && ctx.request.network !== null && !ctx.vmNetwork ? 'yes' : 'no'],
      { timeoutMs: 30_000 },
    );
    const verdict = parseFacts(result.output.replace(/\n/g, ' ')).get('verdict') ?? 'unknown';
    ctx.jail = verdict === 'jail' ? { jailed: true } : { jailed: false, reason: verdict as UnjailedReason };
    return verdict === 'jail' ? 'jailed' : `not jailed (${verdict})`;
  },
};

/** The helper's jail-start arguments after DIR HELPER SHA256 (see jail-start.sh). */
export function jailStartArguments(ctx: JailStepContext): (string | number)[] {
  const settings = ctx.jailSettings ?? defaultJailSettings;
  const { request } = ctx;
  return [
    request.id,
    settings.uidMin,
    settings.uidMax,
    settings.uidPer,
    request.vcpus,
    request.memoryMib,
    settings.memoryOverheadMib,
    ctx.vmNetwork?.netns ?? '-',
    ctx.jailerBinary ?? '',
    ctx.firecrackerBinary,
    request.kernel,
    ...(ctx.snapshot ? [posix.dirname(ctx.snapshot.statePath)] : []),
  ];
}

/**
 * The start step for both kinds of VM: through the jailer by the helper when `jail.decide` said
 * so, else the plain start it is given (host.startFirecracker). Replaces that step in the lists.
 */
export function startJailedOr<C extends JailStepContext>(plain: Step<C>): Step<C> {
  return {
    // The same step to the user either way (its result line says whether it jailed).
    name: plain.name,
    async run(ctx) {
      if (!ctx.jail?.jailed) return plain.run(ctx);
      const result = await runHostScript(ctx.connection, jailStart, [ctx.paths.dir, HELPER_PATH, HELPER_SHA256, ...jailStartArguments(ctx)], { timeoutMs: 60_000 });
      const facts = parseFacts(result.output.replace(/\n/g, ' '));
      ctx.jailUid = Number(facts.get('uid'));
      return `jailed as uid ${facts.get('uid')}, chroot ${facts.get('chroot')}`;
    },
    async undo(ctx) {
      await stopJail(ctx.connection, ctx.paths.dir, ctx.request.id);
      await plain.undo?.(ctx);
    },
  };
}

/** Ends a jailed VM and removes its jail (a no-op for a VM that is not jailed). Before vm-kill.sh. */
export async function stopJail(connection: HostConnection, dir: string, vmId: string): Promise<void> {
  await runHostScript(connection, jailStop, [dir, HELPER_PATH, HELPER_SHA256, vmId], { timeoutMs: 60_000 });
}
