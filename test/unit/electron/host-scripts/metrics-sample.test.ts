import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import sample from '../../../../electron/host-scripts/metrics-sample.sh';
import { parseSample } from '../../../../electron/metrics/sample-parse';
import { runUnderDash } from '../../../support/host-script-harness';
import { startFakeVm } from '../../../support/metrics/fake-vm-dirs';
import type { FakeVm } from '../../../support/metrics/fake-vm-dirs';
import { makeTempDir } from '../../../support/temp-dir';

let root: { path: string; cleanup(): Promise<void> };
let vms: FakeVm[];
beforeEach(async () => {
  root = await makeTempDir('firedeck-metrics-sample-');
  vms = [];
});
afterEach(async () => {
  await Promise.all(vms.map((vm) => vm.stop()));
  await root.cleanup();
});

const fdDir = () => join(root.path, '.firedeck');
const vm = async (id: string, options?: { metrics?: boolean; api?: boolean }) => {
  const made = await startFakeVm(fdDir(), id, options);
  vms.push(made);
  return made;
};
/** Runs the script under dash asynchronously: runUnderDash's spawnSync would block the stand-in sockets' answers. */
async function run(args: (string | number)[], options: Parameters<typeof runUnderDash>[2] = {}) {
  const { spawn } = await import('node:child_process');
  const { withArguments } = await import('../../../../electron/ssh/host-script');
  const env = { ...process.env, LC_ALL: 'C', ...options.env };
  return new Promise<{ stdout: string; stderr: string; status: number }>((resolve) => {
    const child = spawn('/usr/bin/dash', ['-c', withArguments(sample, args)], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ stdout, stderr, status: status ?? -1 }));
  });
}

describe('metrics-sample.sh under dash', () => {
  it('flushes every VM with one curl and reports host and VM figures', async () => {
    const a = await vm('alpha');
    const b = await vm('beta');
    const first = parseSample((await run([fdDir(), '', 'yes', 1 << 20, ''])).stdout);
    expect(first.flush).toBe('curl');
    expect(a.flushes).toBe(1);
    expect(b.flushes).toBe(1);
    expect(first.clock!.hz).toBeGreaterThan(0);
    expect(first.clock!.pageBytes).toBeGreaterThanOrEqual(4096);
    expect(first.uptimeS).toBeGreaterThan(0);
    expect(first.stat!.total).toBeGreaterThan(first.stat!.busy);
    expect(first.load).toHaveLength(3);
    expect(first.mem!.totalKb).toBeGreaterThan(first.mem!.availableKb);
    expect(first.disk!.totalKb).toBeGreaterThan(0);
    expect(first.vmDiskKb).toBeGreaterThanOrEqual(0);
    expect(first.vms.map((v) => v.id).sort()).toEqual(['alpha', 'beta']);
    const alpha = first.vms.find((v) => v.id === 'alpha')!;
    expect(alpha.pid).toBe(a.process.pid);
    expect(alpha.rssPages).toBeGreaterThan(0);
    // No offset known yet: the script says where the file ends (one flushed line).
    const size = statSync(join(a.dir, 'metrics')).size;
    expect(alpha.metrics).toEqual({ kind: 'size', bytes: size });

    a.next = { block: { read_bytes: 4096, write_bytes: 512 }, net: { rx_bytes_count: 100, tx_bytes_count: 7 } };
    const second = parseSample((await run([fdDir(), `alpha:${size} beta:0`, 'no', 1 << 20, '100 4096'])).stdout);
    expect(second.clock).toBeUndefined(); // known: not asked again
    expect(second.disk).toBeUndefined(); // not a slow sample
    const lines = second.vms.find((v) => v.id === 'alpha')!.metrics;
    expect(lines).toMatchObject({ kind: 'lines', truncated: false });
    if (lines?.kind !== 'lines') throw new Error('expected lines');
    expect(lines.lines).toHaveLength(1);
    expect(JSON.parse(lines.lines[0]!)).toMatchObject({ block: { read_bytes: 4096 }, net: { rx_bytes_count: 100 } });
    expect(lines.bytes).toBe(statSync(join(a.dir, 'metrics')).size - size);
    // beta was read from 0: both its lines.
    const beta = second.vms.find((v) => v.id === 'beta')!.metrics;
    expect(beta?.kind === 'lines' && beta.lines.length).toBe(2);
  });

  it('reads every line since the offset, and leaves a half-written line to be read whole next time', async () => {
    const a = await vm('alpha', { api: false }); // no flush: only what is in the file
    a.writeLine();
    const offset = statSync(join(a.dir, 'metrics')).size;
    a.writeLine(); // Firecracker's once-a-minute line
    const periodic = statSync(join(a.dir, 'metrics')).size - offset;
    writeFileSync(join(a.dir, 'metrics'), '{"half":', { flag: 'a' });
    const out = parseSample((await run([fdDir(), `alpha:${offset}`, 'no', 1 << 20, '100 4096'])).stdout).vms[0]!.metrics;
    if (out?.kind !== 'lines') throw new Error('expected lines');
    expect(out.lines).toHaveLength(1);
    expect(out.bytes).toBe(periodic);
    writeFileSync(join(a.dir, 'metrics'), '1}\n', { flag: 'a' });
    const rest = parseSample((await run([fdDir(), `alpha:${offset + out.bytes}`, 'no', 1 << 20, '100 4096'])).stdout).vms[0]!.metrics;
    expect(rest).toMatchObject({ kind: 'lines', lines: ['{"half":1}'], bytes: 11 });
  });

  it('empties the file once the offset passes the limit; Firecracker writes on at its position (a sparse file)', async () => {
    const a = await vm('alpha');
    for (let i = 0; i < 20; i++) a.writeLine();
    const offset = statSync(join(a.dir, 'metrics')).size;
    const out = parseSample((await run([fdDir(), `alpha:${offset}`, 'no', 100, '100 4096'])).stdout).vms[0]!.metrics;
    expect(out).toMatchObject({ kind: 'lines', truncated: true });
    if (out?.kind !== 'lines') throw new Error('expected lines');
    expect(out.lines).toHaveLength(1); // the flushed line, read before the file was emptied
    expect(statSync(join(a.dir, 'metrics')).size).toBe(0);
    a.writeLine();
    const next = parseSample((await run([fdDir(), `alpha:${offset + out.bytes}`, 'no', 1 << 30, '100 4096'])).stdout).vms[0]!.metrics;
    if (next?.kind !== 'lines') throw new Error('expected lines');
    // Only the new lines come back, not the hole before them.
    expect(next.lines).toHaveLength(2);
    expect(next.bytes).toBe(statSync(join(a.dir, 'metrics')).size - offset - out.bytes);
  });

  it('falls back to one socat per VM without curl, and to no flush without either', async () => {
    const a = await vm('alpha');
    const tools = (name: string, list: string[]) => {
      const bin = join(root.path, name);
      mkdirSync(bin);
      for (const tool of list) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
      return bin;
    };
    const basic = ['getconf', 'wc', 'tail', 'df', 'du', 'sleep'];
    const socat = parseSample((await run([fdDir(), '', 'no', 1 << 20, '100 4096'], { env: { PATH: tools('with-socat', [...basic, 'socat']) } })).stdout);
    expect(socat.flush).toBe('socat');
    expect(a.flushes).toBe(1);
    const none = parseSample((await run([fdDir(), '', 'no', 1 << 20, '100 4096'], { env: { PATH: tools('neither', basic) } })).stdout);
    expect(none.flush).toBe('none');
    expect(a.flushes).toBe(1);
    expect(none.vms[0]!.id).toBe('alpha'); // /proc figures come from builtins
  });

  it('skips dead VMs, reused pids, VMs without metrics, and directories that are not VM ids', async () => {
    const live = await vm('live');
    const bare = await vm('bare', { metrics: false, api: false });
    const dead = await vm('dead');
    await dead.stop();
    await new Promise<void>((resolve) => (dead.process.exitCode !== null || dead.process.signalCode ? resolve() : dead.process.once('exit', () => resolve())));
    mkdirSync(join(fdDir(), 'vms', 'reused'));
    writeFileSync(join(fdDir(), 'vms', 'reused', 'firecracker.pid'), `${process.pid}\n`); // alive, but its cwd is elsewhere
    mkdirSync(join(fdDir(), 'vms', 'bad_id'));
    writeFileSync(join(fdDir(), 'vms', 'bad_id', 'firecracker.pid'), `${live.process.pid}\n`);
    const out = parseSample((await run([fdDir(), '', 'no', 1 << 20, '100 4096'])).stdout);
    expect(out.vms.map((v) => v.id).sort()).toEqual(['bare', 'live']);
    expect(out.vms.find((v) => v.id === 'bare')!.metrics).toBeUndefined();
    expect(bare.flushes).toBe(0);
    expect(readFileSync(join(live.dir, 'metrics'), 'utf8')).not.toBe('');
  });

  it('follows a jailed VM (its cwd is its chroot) while its pid has the start time its jail line recorded', async () => {
    const { spawn } = await import('node:child_process');
    const chroot = join(root.path, 'jail-root');
    mkdirSync(chroot);
    const jailed = spawn('sleep', ['600'], { cwd: chroot, stdio: 'ignore' });
    await new Promise<void>((resolve) => jailed.once('spawn', () => resolve()));
    try {
      const startTicks = readFileSync(`/proc/${jailed.pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[19];
      for (const [id, start] of [['jailed', startTicks], ['stale', '1']] as const) {
        const dir = join(fdDir(), 'vms', id);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'firecracker.pid'), `${jailed.pid}\n`);
        writeFileSync(join(dir, 'jail'), `uid=40001 gid=40001 chroot=${chroot} starttime=${start}\n`);
        writeFileSync(join(dir, 'metrics'), '');
      }
      const out = parseSample((await run([fdDir(), '', 'no', 1 << 20, '100 4096'])).stdout);
      // The one whose start time matches is followed; a reused pid (another start time) is not.
      expect(out.vms.map((v) => [v.id, v.pid])).toEqual([['jailed', jailed.pid]]);
      expect(out.vms[0]!.metrics).toEqual({ kind: 'size', bytes: 0 });
    } finally {
      jailed.kill('SIGKILL');
    }
  });

  it('prints the host figures when there is no VM folder yet', async () => {
    const result = await run([join(root.path, 'nothing-here', '.firedeck'), '', 'yes', 1 << 20, '']);
    expect(result.status).toBe(0);
    const out = parseSample(result.stdout);
    expect(out).toMatchObject({ flush: 'none', vms: [] });
    expect(out.disk!.totalKb).toBeGreaterThan(0);
    expect(out.vmDiskKb).toBeUndefined();
  });
});
