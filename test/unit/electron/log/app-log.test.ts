import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/app-error';
import { createAppLog } from '../../../../electron/log/app-log';
import { collectSecrets, createRedactor } from '../../../../electron/log/redact';
import { makeTempDir } from '../../../support/temp-dir';

let root: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  root = await makeTempDir('firedeck-log-');
});
afterEach(() => root.cleanup());

const KEY = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', '-----END OPENSSH PRIVATE KEY-----'].join('\n');

describe('redaction', () => {
  it('blanks known secrets, private keys, and values named like secrets', () => {
    const r = createRedactor();
    r.addSecret('hunter2-horse');
    r.addSecret('ab'); // too short to blank safely
    const out = r.text(`ab: login with hunter2-horse failed; key ${KEY}; password=abc123 token: "t0k3n" url ?token=deadbeef&x=1 Bearer xyz.abc`);
    expect(out).not.toMatch(/hunter2-horse|b3BlbnNzaC1rZXkt|abc123|t0k3n|deadbeef|xyz\.abc/);
    expect(out).toContain('[private key redacted]');
    expect(out).toContain('ab'); // ordinary text stays
    expect(r.value({ host: 'a', auth: { password: 'p4ss', keyPath: '/k' }, sudoPassword: 's' })).toEqual({ host: 'a', auth: { password: '[redacted]', keyPath: '/k' }, sudoPassword: '[redacted]' });
  });

  it('takes secret values out of request inputs at any depth', () => {
    const r = createRedactor();
    collectSecrets({ id: 'x', secret: 'my-secret-1', nested: { sudoPassword: 'sudo-secret-2', list: [{ passphrase: 'pass-secret-3' }] } }, r);
    expect(r.text('my-secret-1 sudo-secret-2 pass-secret-3')).toBe('[redacted] [redacted] [redacted]');
  });
});

describe('app log', () => {
  it('writes lines with errors and their causes, and keeps the last errors without stacks', () => {
    const log = createAppLog({ dir: root.path });
    log.info('started');
    log.error('request hosts.connect failed', new Error('socket closed', { cause: new AppError('HOST_UNREACHABLE', 'No route to host 10.0.0.5.') }));
    const text = readFileSync(log.path, 'utf8');
    expect(text).toMatch(/INFO {2}started/);
    expect(text).toMatch(/ERROR request hosts.connect failed: Error: socket closed\n\s+at /);
    expect(text).toContain('caused by HOST_UNREACHABLE: No route to host 10.0.0.5.');
    expect(log.recentErrors()).toHaveLength(1);
    expect(log.recentErrors()[0]).not.toContain('    at ');
  });

  it('rotates at its size and keeps a bounded number of files', () => {
    const log = createAppLog({ dir: root.path, maxBytes: 1000, keep: 3 });
    for (let i = 0; i < 200; i++) log.warn(`line ${i} ${'x'.repeat(50)}`);
    const files = readdirSync(root.path).sort();
    expect(files).toEqual(['firedeck.1.log', 'firedeck.2.log', 'firedeck.3.log', 'firedeck.log']);
    for (const file of files) expect(readFileSync(join(root.path, file)).length).toBeLessThanOrEqual(1000);
    expect(readFileSync(log.path, 'utf8')).toContain('line 199');
  });

  it('folds frequent runs of one script on one host into a count, and always logs a failure', () => {
    let now = 0;
    const log = createAppLog({ dir: root.path, now: () => new Date(now), foldMs: 60_000 });
    for (let i = 0; i < 20; i++) {
      log.hostScript({ host: 'build-01', script: 'metrics-sample', exitCode: 0, ms: 12 });
      now += 3_000;
    }
    log.hostScript({ host: 'build-01', script: 'metrics-sample', exitCode: 0, ms: 12 });
    log.hostScript({ host: 'build-01', script: 'vm-start', exitCode: 3, ms: 40 });
    log.hostScript({ host: 'build-01', script: 'vm-start', exitCode: null, ms: 30_000, failure: 'no answer within 30 s' });
    const lines = readFileSync(log.path, 'utf8').trim().split('\n');
    expect(lines.filter((l) => l.includes('metrics-sample'))).toHaveLength(2);
    expect(lines[1]).toContain('ran 19 more times since the last line');
    expect(lines.filter((l) => l.includes('vm-start'))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/WARN {2}ran vm-start on build-01: did not finish: no answer within 30 s/);
  });

  it('never throws when the folder cannot be written', () => {
    writeFileSync(join(root.path, 'a-file'), '');
    const log = createAppLog({ dir: join(root.path, 'a-file', 'logs') });
    expect(() => log.error('x', new Error('y'))).not.toThrow();
  });
});
