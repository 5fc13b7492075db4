import type { VmSummary } from '../../shared/channels/vms.js';

const address = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const mac = /^(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/;

/**
 * A VM summary's network fields from its config.json (net-record.sh writes `guestNetwork` there
 * as the VM starts). The address is shown only while the VM runs: a stopped VM's network is
 * taken down. Nothing a file on the host holds is passed on unchecked.
 */
export function vmNetworkFacts(config: unknown, alive: boolean): Pick<VmSummary, 'network' | 'networkProblem'> {
  const noted = typeof config === 'object' && config !== null ? (config as { guestNetwork?: unknown }).guestNetwork : undefined;
  if (typeof noted !== 'object' || noted === null) return {};
  const facts = noted as Record<string, unknown>;
  const problem = facts.problem as Record<string, unknown> | undefined;
  if (typeof problem === 'object' && problem !== null && typeof problem.message === 'string') {
    return { networkProblem: { message: problem.message.slice(0, 1000), ...(typeof problem.remedy === 'string' ? { remedy: problem.remedy.slice(0, 1000) } : {}) } };
  }
  const { hostAddress, guestAddress, mac: guestMac } = facts;
  if (!alive || typeof hostAddress !== 'string' || typeof guestAddress !== 'string' || typeof guestMac !== 'string') return {};
  if (!address.test(hostAddress) || !address.test(guestAddress) || !mac.test(guestMac)) return {};
  return { network: { hostAddress, guestAddress, mac: guestMac } };
}
