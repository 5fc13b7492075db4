import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureTestUsers, startTestHost } from '../test/support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../test/support/test-core';
import { bestSeconds } from './harness';
import type { BenchResult } from './harness';

const run = promisify(execFile);
const SIZE = Number(process.env.BENCH_PUSH_MIB ?? 256) * 1024 * 1024;

/**
 * Pushing a 256 MiB workspace file to a real sshd test host (temp name, SHA-256 of what was read
 * here against that of what was written there, rename) against what a user does by hand: `scp`
 * of the same file to the same host followed by `ssh host sha256sum FILE` (the careful user),
 * and plain `scp`; for reference also scp with the cipher ssh2 negotiates and ssh2's bare SFTP
 * fastPut. BENCH_PUSH_MIB sets the size; BENCH_PUSH_SFTP=external gives the host Debian's default
 * sftp-server (a process of its own, as scp meets on most hosts) instead of sshd's internal-sftp.
 */
export async function benchPush(): Promise<BenchResult[]> {
  const users = await ensureTestUsers();
  const host = await startTestHost({ address: '127.0.0.20', sftp: process.env.BENCH_PUSH_SFTP === 'external' ? 'external' : 'internal' });
  const t = await startTestCore();
  try {
    const hostId = await connectTestHost(t, host);
    await t.call('workspaces.create', { id: 'bench' });
    const file = join(t.dataDir, 'workspaces', 'bench', 'payload.bin');
    await writeRandomFile(file, SIZE);

    const sshOptions = ['-i', users.key.keyPath, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'];
    const scpTarget = `/home/${users.key.name}/scp-payload.bin`;
    const scpArgs = (extra: string[]) => [...extra, '-q', ...sshOptions, '-P', String(host.port), file, `${users.key.name}@${host.address}:${scpTarget}`];
    const firedeck = () => t.call('workspaces.push', { workspaceId: 'bench', path: 'payload.bin', hostId, transferId: randomUUID() });
    // The transfer alone, without the checks around it: where the remaining gap to scp lies.
    const rawFastPut = () =>
      t.core.hosts.connection(hostId).withClient(
        (client) =>
          new Promise<void>((resolve, reject) =>
            client.sftp((error, sftp) => {
              if (error) return reject(error);
              sftp.fastPut(file, `/home/${users.key.name}/raw-payload.bin`, { chunkSize: 255 * 1024, concurrency: 64 }, (failure) => {
                sftp.end();
                if (failure) reject(failure);
                else resolve();
              });
            }),
          ),
      );
    const scp = () => run('scp', scpArgs([]));
    const scpChecked = async () => {
      await run('scp', scpArgs([]));
      await run('ssh', [...sshOptions, '-p', String(host.port), `${users.key.name}@${host.address}`, 'sha256sum', scpTarget]);
    };
    const scpGcm = () => run('scp', scpArgs(['-c', 'aes128-gcm@openssh.com']));

    // Interleaved rounds: each side sees the same cache and load. Each copy starts with no dirty
    // pages (an untimed `sync` first), so the writeback of one copy does not land on the next.
    const timed = async (copy: () => Promise<unknown>) => {
      await run('sync');
      return bestSeconds(copy, 1);
    };
    let [tFiredeck, tScp, tChecked, tGcm, tRaw] = [Infinity, Infinity, Infinity, Infinity, Infinity];
    for (let round = 0; round < Number(process.env.BENCH_PUSH_ROUNDS ?? 5); round++) {
      tFiredeck = Math.min(tFiredeck, await timed(firedeck));
      tScp = Math.min(tScp, await timed(scp));
      tChecked = Math.min(tChecked, await timed(scpChecked));
      tRaw = Math.min(tRaw, await timed(rawFastPut));
      tGcm = Math.min(tGcm, await timed(scpGcm));
    }
    const mib = SIZE / 1024 / 1024;
    const speed = (seconds: number) => mib / seconds;
    const label = `push ${mib} MiB`;
    const included = 'Firedeck’s figure includes preparing the folder, hashing on both ends (locally as the file is read, on the host as it is written), comparing and the rename.';
    return [
      { name: `${label} vs scp + ssh sha256sum`, unit: 'MiB/s', value: speed(tFiredeck), baseline: speed(tChecked), ratio: tChecked / tFiredeck, target: '>= 1.0', note: included },
      { name: `${label} vs scp`, unit: 'MiB/s', value: speed(tFiredeck), baseline: speed(tScp), ratio: tScp / tFiredeck, target: '>= 0.9' },
      { name: `${label} vs scp aes128-gcm (reference)`, unit: 'MiB/s', value: speed(tFiredeck), baseline: speed(tGcm), ratio: tGcm / tFiredeck, note: 'scp with the cipher ssh2 negotiates; it verifies nothing.' },
      { name: 'ssh2 SFTP fastPut alone vs scp (reference)', unit: 'MiB/s', value: speed(tRaw), baseline: speed(tScp), ratio: tScp / tRaw },
    ];
  } finally {
    await t.close();
    await host.stop();
    await rm(`/home/${users.key.name}/.firedeck/workspaces/bench`, { recursive: true, force: true });
    await rm(`/home/${users.key.name}/scp-payload.bin`, { force: true });
    await rm(`/home/${users.key.name}/raw-payload.bin`, { force: true });
  }
}

export async function writeRandomFile(path: string, size: number): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const handle = await open(path, 'w');
  const { randomFillSync } = await import('node:crypto');
  const block = Buffer.alloc(4 * 1024 * 1024);
  for (let written = 0; written < size; written += block.length) {
    randomFillSync(block);
    await handle.write(block);
  }
  await handle.close();
}
