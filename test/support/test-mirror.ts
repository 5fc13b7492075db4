/**
 * A local stand-in for GitHub releases and the Firecracker CI image bucket: release tarballs for
 * both architectures (holding the emulator as `firecracker` and the jailer stand-in as `jailer`), their `.sha256.txt`, a tampered
 * release, and an S3-style listing of small generated kernels and squashfs root filesystems.
 * With `realGuest`, the x86_64 listing also has a real guest (see real-guest.ts), built or taken
 * from the machine's cache first: only suites that ask for it pay for it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installJailerStandIn } from './jailer/jailer-stand-in';
import { ensureRealGuest } from './real-guest';
import { arm64KernelHeader, emulatorPath, x86KernelHeader } from './vm-fixtures';

export const MIRROR_VERSION = 'v1.12.0';
/** A release whose published checksum does not match its tarball. */
export const TAMPERED_VERSION = 'v1.12.1';
const ARCHES = ['x86_64', 'aarch64'] as const;
/** The real guest's kernel and root filesystem in the bucket (x86_64 only), with `realGuest`. */
export const REAL_GUEST_KERNEL = 'vmlinux-6.1.999-guest';
export const REAL_GUEST_ROOTFS = 'debian-12-guest.squashfs';

export interface TestMirrorOptions {
  /** Also serve the real guest (REAL_GUEST_KERNEL, REAL_GUEST_ROOTFS); builds it on first use. */
  realGuest?: boolean;
}

export interface TestMirror {
  /** Base for `…/vX.Y.Z/firecracker-vX.Y.Z-ARCH.tgz`, as the release-URL setting expects. */
  releaseBaseUrl: string;
  /** Root of the S3-style bucket, as the image-catalog setting expects. */
  imageBaseUrl: string;
  /** Paths requested so far, to tell who downloaded what. */
  requests: string[];
  stop(): Promise<void>;
}

export async function startTestMirror(options: TestMirrorOptions = {}): Promise<TestMirror> {
  const root = await mkdtemp(join(tmpdir(), 'firedeck-mirror-'));
  const files = new Map<string, string>(); // URL path → file
  const requests: string[] = [];

  for (const arch of ARCHES) {
    for (const version of [MIRROR_VERSION, TAMPERED_VERSION]) {
      const work = join(root, `build-${version}-${arch}`);
      const release = join(work, `release-${version}-${arch}`);
      await mkdir(release, { recursive: true });
      await copyFile(emulatorPath, join(release, `firecracker-${version}-${arch}`));
      // The jailer stand-in (a test double, see test/support/jailer/jailer.sh), as a release holds the jailer.
      await installJailerStandIn(join(release, `jailer-${version}-${arch}`), version);
      await chmod(join(release, `firecracker-${version}-${arch}`), 0o755);
      await chmod(join(release, `jailer-${version}-${arch}`), 0o755);
      const name = `firecracker-${version}-${arch}.tgz`;
      const tarball = join(root, name);
      execFileSync('tar', ['-czf', tarball, '-C', work, `release-${version}-${arch}`]);
      const digest = createHash('sha256').update(await readFile(tarball)).digest('hex');
      // The tampered release publishes the checksum of something else.
      const published = version === TAMPERED_VERSION ? createHash('sha256').update('not this tarball').digest('hex') : digest;
      await writeFile(`${tarball}.sha256.txt`, `${published}  ${name}\n`);
      files.set(`/releases/${version}/${name}`, tarball);
      files.set(`/releases/${version}/${name}.sha256.txt`, `${tarball}.sha256.txt`);
    }

    const prefix = `firecracker-ci/v1.12/${arch}`;
    const kernel = join(root, `vmlinux-${arch}`);
    await writeFile(kernel, arch === 'x86_64' ? x86KernelHeader() : arm64KernelHeader());
    files.set(`/s3/${prefix}/vmlinux-6.1.102`, kernel);
    // A listed kernel whose header is the other architecture's: must be refused after download.
    const wrong = join(root, `vmlinux-wrong-${arch}`);
    await writeFile(wrong, arch === 'x86_64' ? arm64KernelHeader() : x86KernelHeader());
    files.set(`/s3/${prefix}/vmlinux-5.10.999`, wrong);
    const tree = join(root, `rootfs-${arch}`);
    await mkdir(join(tree, 'etc'), { recursive: true });
    await mkdir(join(tree, 'root'), { recursive: true });
    await writeFile(join(tree, 'etc', 'os-release'), `PRETTY_NAME="Ubuntu 22.04 (Firedeck test image, ${arch})"\n`);
    const squashfs = join(root, `ubuntu-${arch}.squashfs`);
    execFileSync('mksquashfs', [tree, squashfs, '-quiet', '-noappend', '-all-root']);
    files.set(`/s3/${prefix}/ubuntu-22.04.squashfs`, squashfs);
  }

  if (options.realGuest) {
    const guest = await ensureRealGuest();
    files.set(`/s3/firecracker-ci/v1.12/x86_64/${REAL_GUEST_KERNEL}`, guest.kernelPath);
    files.set(`/s3/firecracker-ci/v1.12/x86_64/${REAL_GUEST_ROOTFS}`, guest.rootfsSquashfsPath);
  }

  const listing = async (prefix: string) => {
    const keys = [...files.keys()].filter((p) => p.startsWith(`/s3/${prefix}`)).map((p) => p.slice('/s3/'.length));
    const contents = await Promise.all(
      keys.map(async (key) => `<Contents><Key>${key}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><Size>${(await stat(files.get(`/s3/${key}`)!)).size}</Size><StorageClass>STANDARD</StorageClass></Contents>`),
    );
    return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>spec.ccfc.min</Name><Prefix>${prefix}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents.join('')}</ListBucketResult>`;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mirror');
    requests.push(url.pathname + url.search);
    if (url.pathname === '/s3/' && url.searchParams.get('list-type') === '2') {
      void listing(url.searchParams.get('prefix') ?? '').then((xml) => {
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        res.end(xml);
      });
      return;
    }
    const file = files.get(url.pathname);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not Found\n');
      return;
    }
    void stat(file).then((info) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': info.size });
      createReadStream(file).pipe(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    releaseBaseUrl: `${base}/releases`,
    imageBaseUrl: `${base}/s3`,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
