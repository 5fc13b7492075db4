import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordCreated, recordCreatedUser, shadow, takeLease } from '../../support/test-ledger';
import { makeTempDir } from '../../support/temp-dir';

// The end-of-run cleanup, with real users on this machine and a ledger of the test's own.
const name = (role: string) => `fdledger-${process.pid}-${role}`;
const exists = (user: string) => {
  try {
    execFileSync('id', [user], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const addUser = (user: string) => shadow('useradd', ['--create-home', '--shell', '/bin/bash', user]);
const dropUser = (user: string) => {
  if (exists(user)) shadow('userdel', ['--remove', user]);
};

describe('test ledger', () => {
  let temp: { path: string; cleanup(): Promise<void> };
  let ledger: string;
  let holder: ChildProcess | undefined;
  const users = ['made', 'before', 'busy'].map(name);

  beforeEach(async () => {
    temp = await makeTempDir('firedeck-ledger-');
    ledger = join(temp.path, 'ledger');
    for (const user of users) dropUser(user);
  });
  afterEach(async () => {
    if (holder?.exitCode === null) holder.kill('SIGKILL');
    for (const user of users) dropUser(user);
    await temp.cleanup();
  });

  it('removes the user, its home and the files the run made, and leaves what existed before', () => {
    const [made, before] = [name('made'), name('before')];
    addUser(before);
    const kept = join(temp.path, 'kept');
    writeFileSync(kept, 'there before the run');
    const lease = takeLease(ledger);
    addUser(made);
    recordCreatedUser(made, ledger);
    const file = join(temp.path, 'made', 'rule');
    mkdirSync(join(temp.path, 'made'));
    writeFileSync(file, 'made by the run');
    recordCreated({ kind: 'path', path: join(temp.path, 'made') }, ledger);
    // What the user's own processes leave in the temp folder (the emulator's runtime folder).
    const left = join(tmpdir(), `${made}-runtime`);
    mkdirSync(left);
    chownSync(left, Number(execFileSync('id', ['-u', made], { encoding: 'utf8' })), 0);

    const result = lease.release(() => {});

    expect(result).toMatchObject({ cleaned: true, failed: [] });
    expect(result.removed).toEqual([`path ${join(temp.path, 'made')}`, `user ${made}`]);
    expect(exists(made)).toBe(false);
    expect(existsSync(`/home/${made}`)).toBe(false);
    expect(execFileSync('getent', ['group'], { encoding: 'utf8' })).not.toContain(`\n${made}:`);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(left)).toBe(false);
    expect(exists(before)).toBe(true);
    expect(existsSync(kept)).toBe(true);
    expect(existsSync(ledger)).toBe(false); // the ledger itself goes with the last run
  });

  it('leaves a user of the same name made since by someone else (another uid)', () => {
    const made = name('made');
    const lease = takeLease(ledger);
    recordCreated({ kind: 'user', name: made, uid: 4_000_000, gid: 4_000_000 }, ledger);
    addUser(made);
    expect(lease.release(() => {}).removed).toEqual([]);
    expect(exists(made)).toBe(true);
  });

  it('cleans up only when the last run gives its lease back; a dead run’s lease does not count', async () => {
    const made = name('made');
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.once('exit', resolve));
    mkdirSync(join(ledger, 'leases'), { recursive: true });
    writeFileSync(join(ledger, 'leases', 'crashed-run'), String(dead.pid));
    const first = takeLease(ledger);
    const second = takeLease(ledger);
    addUser(made);
    recordCreatedUser(made, ledger);

    expect(first.release(() => {})).toMatchObject({ cleaned: false });
    expect(exists(made)).toBe(true);
    expect(existsSync(join(ledger, 'leases', 'crashed-run'))).toBe(false);
    expect(second.release(() => {})).toMatchObject({ cleaned: true, removed: [`user ${made}`] });
    expect(exists(made)).toBe(false);
  });

  it('logs a removal that fails, does not throw, and keeps it for the next run', async () => {
    const busy = name('busy');
    addUser(busy);
    const lease = takeLease(ledger);
    recordCreatedUser(busy, ledger);
    const uid = execFileSync('id', ['-u', busy], { encoding: 'utf8' }).trim();
    // A process of the user's: userdel refuses to remove a user that is logged in or running.
    holder = spawn('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--', 'sleep', '60'], { stdio: 'ignore' });
    await new Promise((resolve) => holder!.once('spawn', resolve));
    await expect.poll(() => execFileSync('ps', ['-o', 'user=', '-p', String(holder!.pid)], { encoding: 'utf8' }).trim()).toBe(busy);
    const logged: string[] = [];

    const result = lease.release((line) => logged.push(line));

    expect(result).toMatchObject({ cleaned: true, removed: [], failed: [`user ${busy}`] });
    expect(logged.join('\n')).toMatch(new RegExp(`could not remove user ${busy}: userdel`));
    expect(exists(busy)).toBe(true);

    const gone = new Promise((resolve) => holder!.once('exit', resolve));
    holder.kill('SIGKILL');
    await gone;
    expect(takeLease(ledger).release(() => {})).toMatchObject({ cleaned: true, removed: [`user ${busy}`], failed: [] });
    expect(exists(busy)).toBe(false);
  });
});
