import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { VmSummary } from '../../../../../shared/channels/vms';
import { JailBadge, VmJail } from '../../../../../renderer/views/vms/VmJail';
import { jailFromLine } from '../../../../../electron/jail/jail-facts';

const vm = (line: string): VmSummary => ({ hostId: 'h', id: 'vm1', state: 'running', vcpus: 2, memoryMib: 256, kernel: '/k', rootfs: '/r', jail: jailFromLine(line) });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('the VM page’s jail card', () => {
  it('shows uid/gid, chroot, cgroup limits and seccomp of a jailed VM', () => {
    const html = renderToStaticMarkup(<VmJail vm={vm('uid=900003 gid=900003 chroot=/var/lib/firedeck/jail/u1/firecracker/vm1/root cgroup=/sys/fs/cgroup/firedeck/u1/vm1 cpu_max=200000/100000 memory_max=335544320 seccomp=on netns=none nofile=4096')} />);
    expect(text(html)).toContain('uid 900003, gid 900003');
    expect(text(html)).toContain('/var/lib/firedeck/jail/u1/firecracker/vm1/root');
    expect(text(html)).toContain('2 CPUs (cpu.max 200000 100000)');
    expect(text(html)).toContain('320 MiB (memory.max)');
    expect(text(html)).toContain('Seccomp on');
  });

  it('says which limits the host could not apply', () => {
    expect(text(renderToStaticMarkup(<VmJail vm={vm('uid=1 gid=1 chroot=/c cgroup=none cgroup_missing=cpu,memory seccomp=on')} />))).toContain(
      'CPU limit none Memory limit none Not limited the host’s cgroup v2 hierarchy has no cpu or memory controller',
    );
  });

  it('says "not jailed" with the remedy, on the page and in the list', () => {
    const unjailed = vm('unjailed=helper-missing');
    expect(text(renderToStaticMarkup(<VmJail vm={unjailed} />))).toMatch(/^Jail Not jailed: the privileged helper is not installed .* Install the privileged helper in the host setup wizard/);
    const badge = renderToStaticMarkup(<JailBadge jail={unjailed.jail} />);
    expect(text(badge)).toBe('not jailed');
    expect(badge).toContain('title="Not jailed: the privileged helper is not installed');
  });
});
