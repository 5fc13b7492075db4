import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createJsonStore } from '../../../../electron/store/json-store';
import { makeTempDir } from '../../../support/temp-dir';

const schema = z.object({ hosts: z.array(z.string()) });
type Doc = z.infer<typeof schema>;

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => dir.cleanup());

function store(name = 'doc.json') {
  return createJsonStore<Doc>({
    dir: dir.path,
    name,
    schemaVersion: 2,
    schema,
    defaults: () => ({ hosts: [] }),
    recovery: { what: 'Your test document', consequence: 'started empty', remedy: 'Copy back what you need.' },
    now: () => new Date('2026-01-02T03:04:05.678Z'),
  });
}

describe('createJsonStore', () => {
  it('starts from defaults when there is no file yet', async () => {
    expect(await store().load()).toEqual({ data: { hosts: [] } });
  });

  it('writes the document with its schema version, private to the user, leaving no temp file', async () => {
    await store().save({ hosts: ['a'] });
    const text = await readFile(join(dir.path, 'doc.json'), 'utf8');
    expect(JSON.parse(text)).toEqual({ schemaVersion: 2, data: { hosts: ['a'] } });
    expect((await stat(join(dir.path, 'doc.json'))).mode & 0o777).toBe(0o600);
    expect(await readdir(dir.path)).toEqual(['doc.json']);
    expect((await store().load()).data).toEqual({ hosts: ['a'] });
  });

  it('applies concurrent saves in call order', async () => {
    const s = store();
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.save({ hosts: [`h${i}`] })));
    expect((await store().load()).data).toEqual({ hosts: ['h19'] });
    expect(await readdir(dir.path)).toEqual(['doc.json']);
  });

  it('ignores a temp file left by a crash in the middle of a write', async () => {
    await store().save({ hosts: ['kept'] });
    await writeFile(join(dir.path, '.doc.json.123.abcd.tmp'), '{"schemaVersion":2,"data":{"hos');
    expect((await store().load()).data).toEqual({ hosts: ['kept'] });
  });

  it.each([
    ['invalid JSON', '{"schemaVersion": 2, "data": {"hosts": [', 'it is not valid JSON'],
    ['a file of another kind', '[1, 2, 3]', 'it is not a Firedeck data file'],
    ['a newer schema version', '{"schemaVersion": 3, "data": {"hosts": []}}', 'it has schema version 3, and this Firedeck reads version 2'],
    ['content of the wrong shape', '{"schemaVersion": 2, "data": {"hosts": [42]}}', 'its content does not match what Firedeck expects'],
  ])('keeps %s as a backup, reports it, and starts clean', async (_what, content, reason) => {
    await writeFile(join(dir.path, 'doc.json'), content);
    const result = await store().load();
    const backupName = 'doc.corrupt-2026-01-02T03-04-05-678Z.json';
    expect(result).toEqual({
      data: { hosts: [] },
      recovered: {
        backupName,
        reason,
        message: `Your test document could not be read (${reason}). Firedeck kept it as ${backupName} in its data folder and started empty.`,
        remedy: 'Copy back what you need.',
      },
    });
    expect(await readFile(join(dir.path, backupName), 'utf8')).toBe(content);

    // The next save writes a fresh file and leaves the backup alone.
    await store().save({ hosts: ['new'] });
    expect(await readFile(join(dir.path, backupName), 'utf8')).toBe(content);
    expect((await store().load()).data).toEqual({ hosts: ['new'] });
  });

  it('reports a failed write with a remedy, leaves the previous copy and no temp file', async () => {
    const s = store('blocked.json');
    // A directory where the file should go makes the final rename fail, as a full disk or a
    // permission problem would, after the temp file was written.
    await mkdir(join(dir.path, 'blocked.json'));
    await expect(s.save({ hosts: ['x'] })).rejects.toMatchObject({
      code: 'STORE_WRITE_FAILED',
      remedy: expect.stringContaining('disk space'),
    });
    expect(await readdir(dir.path)).toEqual(['blocked.json']);
    // The failure does not poison later saves of other documents through a shared chain.
    await s.save({ hosts: ['y'] }).catch(() => {});
    const other = store();
    await other.save({ hosts: ['ok'] });
    expect((await other.load()).data).toEqual({ hosts: ['ok'] });
  });

  it('keeps serving the last saved data when a later write fails', async () => {
    const s = store();
    await s.save({ hosts: ['good'] });
    const { rm } = await import('node:fs/promises');
    await rm(join(dir.path, 'doc.json'));
    await mkdir(join(dir.path, 'doc.json'));
    await expect(s.save({ hosts: ['lost'] })).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
    expect((await s.load()).data).toEqual({ hosts: ['good'] });
  });

  it('update applies concurrent changes one after another, so none is lost', async () => {
    const s = store();
    await s.load();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.update((doc) => ({ next: { hosts: [...doc.hosts, `h${i}`] }, result: doc.hosts.length }))));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect((await store().load()).data.hosts).toHaveLength(20);
    expect(s.current().hosts).toHaveLength(20);
  });

  it('update that returns the document unchanged writes nothing', async () => {
    const s = store();
    expect(await s.update((doc) => ({ next: doc, result: 'same' }))).toBe('same');
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('a failed update leaves the document as it was, and later updates see that', async () => {
    const s = store();
    await s.save({ hosts: ['good'] });
    const { rm } = await import('node:fs/promises');
    await rm(join(dir.path, 'doc.json'));
    await mkdir(join(dir.path, 'doc.json'));
    await expect(s.update(() => ({ next: { hosts: ['lost'] }, result: null }))).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
    expect(await s.update((doc) => ({ next: doc, result: doc.hosts }))).toEqual(['good']);
  });
});
