import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readHashed, sha256OfFile } from '../../../../electron/transfers/sha256-hasher';
import { makeTempDir, scratchDir } from '../../../support/temp-dir';

const reference = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// 1 MiB (four chunks and a bit) is hashed on the main thread; 20 MiB (above the 16 MiB threshold)
// on the worker that reads it.
describe.each([
  ['on the main thread', 1024 * 1024 + 7],
  ['on a worker', 20 * 1024 * 1024 + 7],
])('readHashed %s', (_where, size) => {
  it('gives exactly the first SIZE bytes of a longer file, and their SHA-256', async () => {
    const file = join(scratchDir('fd-hashed-'), 'f');
    const data = randomBytes(size + 4096);
    writeFileSync(file, data);
    const read = readHashed(file, size);
    const got = await drain(read.stream);
    expect(got.length).toBe(size);
    expect(got.equals(data.subarray(0, size))).toBe(true);
    expect(await read.digest()).toBe(reference(data.subarray(0, size)));
  });

  it('fails, with no digest, when the file is shorter than SIZE (it shrank since its size was taken)', async () => {
    const file = join(scratchDir('fd-hashed-'), 'f');
    writeFileSync(file, randomBytes(size - 1));
    const read = readHashed(file, size);
    await expect(drain(read.stream)).rejects.toThrow(/changed while it was being sent/);
    await expect(read.digest()).rejects.toThrow();
  });

  it('fails with a clear error when the file cannot be read', async () => {
    const read = readHashed(join(scratchDir('fd-hashed-'), 'missing'), size);
    await expect(drain(read.stream)).rejects.toThrow(/could not read the file: ENOENT/);
    await expect(read.digest()).rejects.toThrow();
  });

  it('gives no digest when the stream is destroyed half way, and closes', async () => {
    const file = join(scratchDir('fd-hashed-'), 'f');
    writeFileSync(file, randomBytes(size));
    const read = readHashed(file, size);
    await new Promise((resolve) => read.stream.once('readable', resolve));
    read.stream.destroy();
    await new Promise((resolve) => read.stream.once('close', resolve));
    await expect(read.digest()).rejects.toThrow();
  });
});

it('readHashed of an empty file gives nothing and the SHA-256 of nothing', async () => {
  const file = join(scratchDir('fd-hashed-'), 'f');
  writeFileSync(file, '');
  const read = readHashed(file, 0);
  expect((await drain(read.stream)).length).toBe(0);
  expect(await read.digest()).toBe(reference(new Uint8Array()));
});

describe('sha256OfFile', () => {
  it('hashes a file on a worker, and says so when it cannot read it', async () => {
    const dir = await makeTempDir();
    try {
      const data = randomBytes(5 * 1024 * 1024 + 3);
      writeFileSync(join(dir.path, 'f'), data);
      expect(await sha256OfFile(join(dir.path, 'f'))).toBe(reference(data));
      await expect(sha256OfFile(join(dir.path, 'missing'))).rejects.toThrow();
    } finally {
      await dir.cleanup();
    }
  });
});
