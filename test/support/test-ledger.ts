/**
 * What test runs made on this machine (users, groups, files outside their temp dirs), so that
 * the end of a run removes exactly that and nothing that was there before it.
 *
 * One ledger per machine, shared by concurrent runs (vitest and Playwright, several worktrees):
 *   <dir>/created.jsonl   one JSON line per thing a run made (appended by any test process)
 *   <dir>/leases/<id>     one file per run in progress, holding its pid
 *   <dir>/lock/           held (mkdir) while a run takes or gives back its lease
 * A run takes a lease in its global setup and gives it back in its global teardown. The last run
 * out (no other lease whose process lives) removes what the ledger lists, newest first. So a
 * shared user (fdtest-key) made by one run stays while another still uses it, and what a run that
 * died left is removed by the next run that ends. Only what a test made (it did not exist, the
 * test created it) is recorded; a removal that fails is logged and kept for the next run, and
 * never fails the run. Once nothing is left to remove, the ledger's folder goes too.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, normalize } from 'node:path';
import { randomUUID } from 'node:crypto';

export type Created =
  | { kind: 'user'; name: string; uid: number; gid: number }
  | { kind: 'group'; name: string; gid: number }
  | { kind: 'path'; path: string };

/** FIREDECK_TEST_LEDGER overrides it (the ledger's own tests use a temp dir). */
export function ledgerDir(): string {
  return process.env.FIREDECK_TEST_LEDGER ?? '/var/tmp/firedeck-test-ledger';
}

export function recordCreated(entry: Created, dir = ledgerDir()): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // One short line per append (O_APPEND): concurrent test processes never interleave within one.
  appendFileSync(join(dir, 'created.jsonl'), `${JSON.stringify(entry)}\n`);
}

/** Records a user `useradd` just made (with its own group) under its current uid and gid. */
export function recordCreatedUser(name: string, dir = ledgerDir()): void {
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  recordCreated({ kind: 'user', name, uid, gid }, dir);
}

/** Records a group `groupadd` just made. */
export function recordCreatedGroup(name: string, dir = ledgerDir()): void {
  const gid = Number(execFileSync('getent', ['group', name], { encoding: 'utf8' }).split(':')[2]);
  recordCreated({ kind: 'group', name, gid }, dir);
}

export interface Lease {
  id: string;
  /**
   * Gives the lease back; the last run out cleans up. Never throws: what could not be removed
   * is logged (`log`) and stays in the ledger.
   */
  release(log?: (line: string) => void): { cleaned: boolean; removed: string[]; failed: string[] };
}

export function takeLease(dir = ledgerDir()): Lease {
  const id = `${process.pid}-${randomUUID().slice(0, 8)}`;
  withLock(dir, () => {
    mkdirSync(join(dir, 'leases'), { recursive: true });
    writeFileSync(join(dir, 'leases', id), String(process.pid));
  });
  return {
    id,
    release(log = (line) => console.warn(line)) {
      try {
        return withLock(dir, () => {
          rmSync(join(dir, 'leases', id), { force: true });
          if (liveLeases(dir).length > 0) return { cleaned: false, removed: [], failed: [] };
          return { cleaned: true, ...cleanUp(dir, log) };
        });
      } catch (err) {
        log(`test cleanup: ${(err as Error).message}`);
        return { cleaned: false, removed: [], failed: [] };
      }
    },
  };
}

/** Leases whose process still runs; those of dead processes are removed. */
function liveLeases(dir: string): string[] {
  const leases = join(dir, 'leases');
  const live: string[] = [];
  for (const name of existsSync(leases) ? readdirSync(leases) : []) {
    const pid = Number(readFileSync(join(leases, name), 'utf8').trim());
    if (pid > 0 && alive(pid)) live.push(name);
    else rmSync(join(leases, name), { force: true });
  }
  return live;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** mkdir as the lock; a lock whose holder died is broken. Waits at most 60 s. */
function withLock<T>(dir: string, body: () => T): T {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = join(dir, 'lock');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // The last run out removed the ledger meanwhile: make it again.
      if (code === 'ENOENT') {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        continue;
      }
      if (code !== 'EEXIST') throw err;
      let holder = 0;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // being taken or given back right now
      }
      if (holder > 0 && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`the test ledger lock ${lock} is held by pid ${holder || '?'}`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
    try {
      rmdirSync(dir); // only once nothing is left in it
    } catch {
      // leases, or entries kept for the next run
    }
  }
}

function readLedger(dir: string): Created[] {
  let text = '';
  try {
    text = readFileSync(join(dir, 'created.jsonl'), 'utf8');
  } catch {
    return [];
  }
  const entries: Created[] = [];
  for (const line of text.split('\n')) {
    try {
      if (line.trim()) entries.push(JSON.parse(line) as Created);
    } catch {
      // a line cut short by a crash
    }
  }
  return entries;
}

const describe = (entry: Created) => (entry.kind === 'path' ? `path ${entry.path}` : `${entry.kind} ${entry.name}`);

/** Removes what the ledger lists, newest first; keeps what failed for the next run. */
function cleanUp(dir: string, log: (line: string) => void): { removed: string[]; failed: string[] } {
  const seen = new Set<string>();
  const removed: string[] = [];
  const kept: Created[] = [];
  for (const entry of readLedger(dir).reverse()) {
    const key = JSON.stringify(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      if (removeEntry(entry)) removed.push(describe(entry));
    } catch (err) {
      log(`test cleanup: could not remove ${describe(entry)}: ${(err as Error).message.trim()}`);
      kept.unshift(entry);
    }
  }
  if (kept.length > 0) writeFileSync(join(dir, 'created.jsonl'), kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
  else rmSync(join(dir, 'created.jsonl'), { force: true });
  rmSync(join(dir, 'leases'), { recursive: true, force: true }); // empty: this was the last run
  return { removed, failed: kept.map(describe) };
}

/** True when it removed something; false when it was gone already (or is no longer the one made). */
function removeEntry(entry: Created): boolean {
  if (entry.kind === 'path') {
    const path = normalize(entry.path);
    if (!isAbsolute(path) || path.split('/').filter(Boolean).length < 2) throw new Error('refusing a path this short');
    if (!existsSync(path)) return false;
    rmSync(path, { recursive: true, force: true, maxRetries: 5 });
    return true;
  }
  if (entry.kind === 'user') {
    const user = passwd().find((u) => u.name === entry.name);
    // Gone, or a user of that name made since by someone else: not ours to remove.
    if (!user || user.uid !== entry.uid) return false;
    shadow('userdel', user.home.startsWith('/home/') && existsSync(user.home) ? ['--remove', entry.name] : [entry.name]);
    removeTempOf(entry.uid);
    const group = groupGid(entry.name);
    if (group === entry.gid) shadow('groupdel', [entry.name]);
    return true;
  }
  if (groupGid(entry.name) !== entry.gid) return false;
  shadow('groupdel', [entry.name]);
  return true;
}

/**
 * What a removed test user left at the top of the temp folder (the emulator's runtime folder it
 * ran QEMU from, sockets): nobody owns it any more, and the next user given that uid would.
 */
function removeTempOf(uid: number): void {
  if (uid === 0) return;
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    const owner = lstatSync(path, { throwIfNoEntry: false })?.uid;
    if (owner === uid) rmSync(path, { recursive: true, force: true, maxRetries: 5 });
  }
}

function passwd(): { name: string; uid: number; home: string }[] {
  return readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const f = line.split(':');
      return { name: f[0] ?? '', uid: Number(f[2]), home: f[5] ?? '' };
    });
}

function groupGid(name: string): number | undefined {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[0] === name);
  return line === undefined ? undefined : Number(line.split(':')[2]);
}

/** useradd/userdel/groupadd/groupdel, retried while another process holds /etc/passwd's lock. */
export function shadow(tool: string, args: string[]): void {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      execFileSync(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      return;
    } catch (err) {
      const stderr = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message);
      if (!/lock|try again/i.test(stderr) || Date.now() > deadline) throw new Error(`${tool} ${args.join(' ')}: ${stderr.trim()}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}
