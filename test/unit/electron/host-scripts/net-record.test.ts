import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/net-record.sh';
import { runUnderDash } from '../../../support/host-script-harness';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'firedeck-net-record-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const config = () => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;

describe('net-record.sh under dash', () => {
  it('adds the network to config.json, and a second note wins over the first (a clone’s copy of its source’s)', () => {
    writeFileSync(join(dir, 'config.json'), '{"id":"vm1","name":"a \\"quoted\\" $(name)"}\n');
    expect(runUnderDash(script, [dir, '{"hostAddress":"10.231.0.2","guestAddress":"172.16.0.2","mac":"06:00:AC:10:00:02"}']).status).toBe(0);
    expect(config()).toEqual({ id: 'vm1', name: 'a "quoted" $(name)', guestNetwork: { hostAddress: '10.231.0.2', guestAddress: '172.16.0.2', mac: '06:00:AC:10:00:02' } });
    expect(runUnderDash(script, [dir, '{"hostAddress":"10.231.0.6","guestAddress":"172.16.0.2","mac":"06:00:AC:10:00:02"}']).status).toBe(0);
    expect(config().guestNetwork).toMatchObject({ hostAddress: '10.231.0.6' });
  });

  it('exits 3 without a config.json or with a damaged one, writing nothing', () => {
    expect(runUnderDash(script, [dir, '{}']).status).toBe(3);
    writeFileSync(join(dir, 'config.json'), 'not json\n');
    expect(runUnderDash(script, [dir, '{}']).status).toBe(3);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('not json\n');
  });
});
