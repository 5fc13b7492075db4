import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTERNET, startNetnsRig } from '../../support/netns-hosts';
import { connectTestHost, startTestCore } from '../../support/test-core';

const rigNamespaces = () => (existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith('fdt-rt-')) : []);

describe('network namespace test hosts', () => {
  it('clear what an earlier run left, give the host a route and resolver to the internet stand-in, and leave nothing behind', async () => {
    // An earlier run killed mid-way: a namespace of the same tag with a process still in it.
    execFileSync('ip', ['netns', 'add', 'fdt-rt-host']);
    const stale = spawn('ip', ['netns', 'exec', 'fdt-rt-host', 'sleep', '600'], { stdio: 'ignore' });
    const staleGone = new Promise((resolve) => stale.once('exit', resolve));

    const rig = await startNetnsRig('rt', { address: '127.0.0.72' });
    const t = await startTestCore();
    try {
      await staleGone;
      expect(rigNamespaces().sort()).toEqual(['fdt-rt-host', 'fdt-rt-inet']);
      const id = await connectTestHost(t, rig.host);
      const connection = t.core.hosts.connection(id);
      const seen = await connection.exec(`cat /etc/resolv.conf; ip route show default; curl -sS --max-time 5 http://${INTERNET.http}/; getent hosts ${INTERNET.name}`);
      expect(seen.output).toBe(`# the host's resolver: the internet stand-in's DNS\nnameserver ${INTERNET.dns}\ndefault via 10.252.0.1 dev uplink0 \n${INTERNET.greeting}${INTERNET.http}     ${INTERNET.name}\n`);
      // The rig's addresses exist only in its namespaces, never in this machine's.
      expect(execFileSync('ip', ['-o', 'addr'], { encoding: 'utf8' })).not.toMatch(/10\.25[23]\./);
    } finally {
      await t.close();
      await rig.stop();
    }
    expect(rigNamespaces()).toEqual([]);
    expect(existsSync('/etc/netns/fdt-rt-host')).toBe(false);
  });
});
