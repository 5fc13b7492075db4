import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIRROR_VERSION, startTestMirror } from '../../support/test-mirror';
import type { TestMirror } from '../../support/test-mirror';

let mirror: TestMirror;
let dir: string;
beforeAll(async () => {
  mirror = await startTestMirror();
  dir = await mkdtemp(join(tmpdir(), 'firedeck-mirror-jailer-'));
});
afterAll(async () => {
  await mirror?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the test mirror’s release tarballs', () => {
  it.each(['x86_64', 'aarch64'])('hold the jailer stand-in as the %s release’s jailer, which the wizard installs like a real one', async (arch) => {
    const name = `firecracker-${MIRROR_VERSION}-${arch}.tgz`;
    const response = await fetch(`${mirror.releaseBaseUrl}/${MIRROR_VERSION}/${name}`);
    await writeFile(join(dir, name), Buffer.from(await response.arrayBuffer()));
    execFileSync('tar', ['-xzf', join(dir, name), '-C', dir]);
    const jailer = join(dir, `release-${MIRROR_VERSION}-${arch}`, `jailer-${MIRROR_VERSION}-${arch}`);
    // What the host probe asks of an installed jailer, and what the stand-in says it is.
    expect(execFileSync(jailer, ['--version'], { encoding: 'utf8' })).toBe(`Jailer ${MIRROR_VERSION}\n\n`);
    expect(execFileSync('head', ['-n', '2', jailer], { encoding: 'utf8' })).toContain('TEST DOUBLE');
  });
});
