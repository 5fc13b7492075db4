import { useAppStore } from '../../store/context';
import { guestKey } from '../../store/guest-slice';

/** The ssh command (and the ssh_config entry) that reaches this guest from the user's own tools. */
export function GuestSsh({ hostId, vmId }: { hostId: string; vmId: string }) {
  const vm = { hostId, id: vmId };
  const ssh = useAppStore((s) => s.guest.ssh[guestKey(vm)]);
  const load = useAppStore((s) => s.guest.loadSshCommand);
  if (!ssh) {
    return (
      <button type="button" className="button button-small" onClick={() => void load(vm)}>
        Show ssh command
      </button>
    );
  }
  const copy = (text: string) => void navigator.clipboard?.writeText(text).catch(() => {});
  return (
    <div className="guest-ssh">
      <p className="small muted">From a terminal on this computer (through the host, with the guest key):</p>
      <div className="guest-row">
        <code className="guest-command-line" aria-label="ssh command">
          {ssh.command}
        </code>
        <button type="button" className="button button-small" onClick={() => copy(ssh.command)}>
          Copy
        </button>
      </div>
      <details>
        <summary className="small">Spelled out, and for VS Code Remote-SSH</summary>
        <code className="guest-command-line">{ssh.spelledOut}</code>
        <p className="small muted">
          Add <code>{ssh.includeLine}</code> at the top of <code>~/.ssh/config</code> to reach every guest by name (<code>ssh {ssh.alias}</code>). Firedeck keeps that
          file and never writes <code>~/.ssh/config</code>. The guest key is <code>{ssh.keyPath}</code> (mode 0600, made by the setup wizard).
        </p>
      </details>
    </div>
  );
}
