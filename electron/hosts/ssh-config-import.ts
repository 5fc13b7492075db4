import { readFile } from 'node:fs/promises';
import SSHConfig from 'ssh-config';
import type { SshConfigHost } from '../../shared/channels/hosts.js';

/**
 * The concrete `Host` aliases of an OpenSSH client config, each resolved the way `ssh` would
 * (first value wins, `Host *` defaults apply). Wildcard and negated patterns are not hosts.
 */
export function hostsFromSshConfig(text: string, home: string): SshConfigHost[] {
  const config = SSHConfig.parse(text);
  const aliases = new Set<string>();
  for (const line of config) {
    if (!('param' in line) || line.param?.toLowerCase() !== 'host') continue;
    const values = typeof line.value === 'string' ? line.value.split(/\s+/) : (line.value as { val: string }[]).map((v) => v.val);
    for (const alias of values) if (alias && !/[*?!]/.test(alias)) aliases.add(alias);
  }
  const expandHome = (path: string) => path.replace(/^~(?=\/|$)/, home);
  const resolve = (alias: string) => {
    // Keywords are case-insensitive, as in OpenSSH; listing hosts must never run `Match exec`.
    const computed = config.compute(alias, { ignoreCase: true, matchExec: false }) as Record<string, string | string[] | undefined>;
    const first = (key: string) => {
      const value = computed[key.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    };
    return { computed: first, address: first('HostName') ?? alias };
  };
  return [...aliases].map((alias) => {
    const { computed, address } = resolve(alias);
    const port = Number(computed('Port'));
    const identityFile = computed('IdentityFile');
    let proxyJump = computed('ProxyJump');
    // A jump host named by its alias is spelled out, so the host does not depend on this file.
    if (proxyJump && aliases.has(proxyJump)) {
      const jump = resolve(proxyJump);
      const jumpUser = jump.computed('User');
      const jumpPort = jump.computed('Port');
      proxyJump = `${jumpUser ? `${jumpUser}@` : ''}${jump.address}${jumpPort && jumpPort !== '22' ? `:${jumpPort}` : ''}`;
    }
    return {
      alias,
      address,
      ...(Number.isInteger(port) && port > 0 ? { port } : {}),
      ...(computed('User') ? { user: computed('User') } : {}),
      ...(identityFile ? { identityFile: expandHome(identityFile) } : {}),
      ...(proxyJump && proxyJump.toLowerCase() !== 'none' ? { proxyJump } : {}),
    };
  });
}

export async function readSshConfigHosts(path: string, home: string): Promise<SshConfigHost[]> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return hostsFromSshConfig(text, home);
}
