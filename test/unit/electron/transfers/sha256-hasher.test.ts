import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSha256Hasher, sha256OfFile } from '../../../../electron/transfers/sha256-hasher';
import { makeTempDir } from '../../../support/temp-dir';

const reference = (chunks: Uint8Array[]) => chunks.reduce((hash, chunk) => hash.update(chunk), createHash('sha256')).digest('hex');

describe('createSha256Hasher', () => {
  // 1 KiB goes inline; 20 MiB (above the 16 MiB threshold) goes through the worker.
  it.each([0, 1024, 20 * 1024 * 1024])('hashes %i bytes handed over in chunks like one createHash', async (size) => {
    const data = randomBytes(size);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < size; at += 255 * 1024) chunks.push(data.subarray(at, at + 255 * 1024));
    const hasher = createSha256Hasher(size);
    try {
      for (const chunk of chunks) hasher.update(chunk);
      expect(await hasher.digest()).toBe(reference([data]));
    } finally {
      hasher.close();
    }
  });

  it('leaves the chunks it was handed intact (the worker gets copies)', async () => {
    const chunk = randomBytes(1024 * 1024);
    const before = Buffer.from(chunk);
    const hasher = createSha256Hasher(32 * 1024 * 1024);
    try {
      hasher.update(chunk);
      await hasher.digest();
      expect(chunk.equals(before)).toBe(true);
    } finally {
      hasher.close();
    }
  });
});

describe('sha256OfFile', () => {
  it('hashes a file on a worker, and says so when it cannot read it', async () => {
    const dir = await makeTempDir();
    try {
      const data = randomBytes(5 * 1024 * 1024 + 3);
      writeFileSync(join(dir.path, 'f'), data);
      expect(await sha256OfFile(join(dir.path, 'f'))).toBe(reference([data]));
      await expect(sha256OfFile(join(dir.path, 'missing'))).rejects.toThrow();
    } finally {
      await dir.cleanup();
    }
  });
});
