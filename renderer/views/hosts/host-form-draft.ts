import type { FirecrackerTransport, HostAuth, HostInput, HostSummary, SshConfigHost } from '../../../shared/channels/hosts';

/** The host form's fields as typed: strings, so a half-typed port is kept as the user wrote it. */
export interface HostDraft {
  label: string;
  address: string;
  port: string;
  user: string;
  method: HostAuth['method'];
  keyPath: string;
  agentSocket: string;
  transport: FirecrackerTransport;
  proxyJump: string;
}

export const transportOptions: { value: FirecrackerTransport; label: string }[] = [
  { value: 'ssh-unix', label: 'Through SSH to the API socket (recommended)' },
  { value: 'ssh-exec', label: 'Through SSH, relayed by a command (where sshd forbids forwarding)' },
  { value: 'tcp', label: 'LAN TCP port (unauthenticated, unsafe)' },
  { value: 'unix', label: 'Local socket (Firedeck runs on the KVM host)' },
];

export const authOptions = [
  { value: 'key', label: 'Key file' },
  { value: 'agent', label: 'SSH agent' },
  { value: 'password', label: 'Password' },
] as const;

export function draftFrom(host?: HostSummary): HostDraft {
  return {
    label: host?.label ?? '',
    address: host?.address ?? '',
    port: String(host?.port ?? 22),
    user: host?.user ?? '',
    method: host?.auth.method ?? 'key',
    keyPath: host?.auth.method === 'key' ? host.auth.keyPath : '',
    agentSocket: host?.auth.method === 'agent' ? (host.auth.agentSocket ?? '') : '',
    transport: host?.transport ?? 'ssh-unix',
    proxyJump: host?.proxyJump ?? '',
  };
}

export function toInput(draft: HostDraft): HostInput {
  const auth: HostAuth =
    draft.method === 'key'
      ? { method: 'key', keyPath: draft.keyPath }
      : draft.method === 'agent'
        ? { method: 'agent', ...(draft.agentSocket.trim() ? { agentSocket: draft.agentSocket } : {}) }
        : { method: 'password' };
  return {
    label: draft.label,
    address: draft.address,
    // An unparsable port goes to main as-is (NaN travels as null) so its validation names the field.
    port: draft.port.trim() === '' ? 22 : Number(draft.port),
    user: draft.user,
    auth,
    transport: draft.transport,
    ...(draft.proxyJump.trim() ? { proxyJump: draft.proxyJump } : {}),
  };
}

/** The fields an entry of ~/.ssh/config fills in; what it does not say is left as typed. */
export function fieldsFromSshConfig(draft: HostDraft, entry: SshConfigHost): Partial<HostDraft> {
  return {
    label: draft.label || entry.alias,
    address: entry.address,
    port: String(entry.port ?? 22),
    user: entry.user ?? draft.user,
    method: entry.identityFile ? 'key' : draft.method,
    keyPath: entry.identityFile ?? draft.keyPath,
    proxyJump: entry.proxyJump ?? '',
  };
}
