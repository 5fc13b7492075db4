import type { HostJails, JailEntry } from '../../shared/channels/jail.js';
import type { EventBus } from '../event-bus.js';
import type { HostService } from '../hosts/host-service.js';
import { HELPER_PATH, HELPER_SHA256 } from '../network/network-helper.js';
import { runHostScript } from '../ssh/host-script.js';
import { vmsDir } from '../vms/vm-paths.js';
import { parseFacts } from './jail-facts.js';
import { jailSweep } from './jail-scripts.js';

export interface JailService {
  /** The host's jails as the privileged helper lists them, each with whether its run directory exists. */
  list(hostId: string): Promise<HostJails>;
  /**
   * Ends and removes the jails whose microVM's run directory is gone (deleted outside Firedeck),
   * and emits `jail.swept` when there were any. A host without a usable helper has none to sweep.
   */
  sweep(hostId: string): Promise<{ swept: string[]; failed: string[] }>;
}

const PROBLEMS = {
  'helper-missing': { code: 'HELPER_MISSING', message: 'The privileged helper is not installed on this host, so its microVMs run unjailed.', remedy: 'Install it in the host setup wizard (Hosts → this host → Set up host → Network helper).' },
  'helper-tampered': { code: 'HELPER_TAMPERED', message: 'TAMPERED: the privileged helper on this host is not the file Firedeck installed, or others than root can change it. Firedeck does not run it.', remedy: 'Reinstall the helper in the host setup wizard.' },
  'helper-no-sudo': { code: 'SUDO_REQUIRED', message: 'sudo on this host would not run the privileged helper without a password.', remedy: 'Reinstall the helper in the host setup wizard (it writes its sudoers rule again).' },
} as const;

/** The script's `jail=…` and `swept=…` lines. */
export function parseJailSweep(output: string): { jails: JailEntry[]; swept: string[]; failed: string[] } {
  const jails: JailEntry[] = [];
  const swept: string[] = [];
  const failed: string[] = [];
  for (const line of output.split('\n')) {
    const facts = parseFacts(line);
    const vmId = facts.get('jail');
    if (vmId) jails.push({ vmId, alive: facts.get('alive') === 'yes', runDirExists: facts.get('rundir') === 'yes' });
    if (facts.has('swept')) swept.push(facts.get('swept')!);
    if (facts.has('sweep_failed')) failed.push(facts.get('sweep_failed')!);
  }
  return { jails, swept, failed };
}

export function createJailService(deps: { hosts: Pick<HostService, 'context'>; events: EventBus; timeoutMs?: number }): JailService {
  const timeoutMs = deps.timeoutMs ?? 60_000;

  async function run(hostId: string, mode: 'list' | 'sweep') {
    const ctx = await deps.hosts.context(hostId);
    const result = await runHostScript(ctx.connection, jailSweep, [vmsDir(ctx.probe.firedeckDir), HELPER_PATH, HELPER_SHA256, mode], { timeoutMs });
    return { outcome: result.outcome, ...parseJailSweep(result.output) };
  }

  return {
    async list(hostId) {
      const result = await run(hostId, 'list');
      if (result.outcome !== 'ok') return { hostId, jails: [], problem: PROBLEMS[result.outcome] };
      return { hostId, jails: result.jails };
    },
    async sweep(hostId) {
      const result = await run(hostId, 'sweep');
      if (result.outcome !== 'ok') return { swept: [], failed: [] };
      if (result.swept.length > 0 || result.failed.length > 0) deps.events.emit('jail.swept', { hostId, vmIds: result.swept, failed: result.failed });
      return { swept: result.swept, failed: result.failed };
    },
  };
}
