import { describe, expect, it } from 'vitest';
import type { HostSummary } from '../../../../shared/channels/hosts';
import { entryFor, guestAlias, guestSshPaths, renderSshConfig, sshCommandFor } from '../../../../electron/guest/guest-ssh-config';

const host = {
  id: '2825da21-4e12-46a5-940d-b2b89e2bf418',
  label: 'Build box #1',
  address: 'build.example.com',
  port: 2222,
  user: 'dev',
  auth: { method: 'key', keyPath: '/Users/me/.ssh/id ed25519' },
  proxyJump: 'bastion.example.com',
} as unknown as HostSummary;
const paths = guestSshPaths('/Users/me/Library/Application Support/Firedeck');

describe('guest ssh_config', () => {
  it('names each guest VM.HOST.firedeck from the host label', () => {
    expect(guestAlias(host, 'web-1')).toBe('web-1.build-box-1.firedeck');
  });

  it('writes a jump entry per host and a guest entry with the guest key, its recorded host key and ProxyJump', () => {
    const entry = entryFor(host, 'web-1', { host: '10.231.0.6', port: 22, user: 'root' });
    const text = renderSshConfig([entry], paths);
    expect(text).toContain('Host firedeck-host-build-box-1-2825da21\n  HostName build.example.com\n  Port 2222\n  User dev\n  IdentityFile "/Users/me/.ssh/id ed25519"\n  ProxyJump bastion.example.com');
    expect(text).toContain('Host web-1.build-box-1.firedeck\n  HostName 10.231.0.6\n  Port 22\n  User root');
    expect(text).toContain('  IdentityFile "/Users/me/Library/Application Support/Firedeck/guest-keys/id_ed25519"\n  IdentitiesOnly yes\n  ProxyJump firedeck-host-build-box-1-2825da21');
    expect(text).toContain(`  HostKeyAlias firedeck-guest-${host.id}-web-1`);
    expect(text).toContain('Include "/Users/me/Library/Application Support/Firedeck/ssh_config"');
  });

  it('spells the ssh command out with the key, -J through the host and the recorded host key', () => {
    const shown = sshCommandFor(entryFor(host, 'web-1', { host: '10.231.0.6', port: 22, user: 'root' }), paths);
    expect(shown.command).toBe("ssh -F '/Users/me/Library/Application Support/Firedeck/ssh_config' web-1.build-box-1.firedeck");
    expect(shown.spelledOut).toBe(
      `ssh -i '/Users/me/Library/Application Support/Firedeck/guest-keys/id_ed25519' -o IdentitiesOnly=yes -o 'UserKnownHostsFile=/Users/me/Library/Application Support/Firedeck/guest_known_hosts' -o HostKeyAlias=firedeck-guest-${host.id}-web-1 -J dev@build.example.com:2222 root@10.231.0.6`,
    );
  });
});
