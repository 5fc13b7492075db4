/**
 * Where the jailer stand-in (a test double for Firecracker's `jailer`; see the header of
 * jailer.sh for what it does and where it approximates) lives, and how to install it where a
 * test host or a test release tarball wants it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The stand-in itself, a POSIX sh script. Run it as root (test hosts: through sudo), as the real
 * jailer is. Found by walking up from this module, which also works from a bundle in dist/.
 */
export const jailerStandInPath = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    for (const candidate of [join(dir, 'jailer.sh'), join(dir, 'test', 'support', 'jailer', 'jailer.sh')]) {
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error('test/support/jailer/jailer.sh not found above this module');
})();

/** The release the stand-in says it is unless told otherwise (the emulator's). */
export const JAILER_STAND_IN_VERSION = 'v1.12.0';

/** The stand-in's text, saying `Jailer vX.Y.Z` (for --version and --help) for `version`. */
export function jailerStandInText(version: string = JAILER_STAND_IN_VERSION): string {
  const bare = version.replace(/^v/, '');
  if (!/^\d+\.\d+\.\d+$/.test(bare)) throw new Error(`not a release version: ${version}`);
  const text = readFileSync(jailerStandInPath, 'utf8');
  const line = /^JAILER_VERSION=.*$/m;
  if (!line.test(text)) throw new Error('jailer.sh has no JAILER_VERSION line');
  return text.replace(line, `JAILER_VERSION=${bare}`);
}

/**
 * Writes the stand-in at `path` (mode 0755), e.g. as `release-v1.12.0-x86_64/jailer-v1.12.0-x86_64`
 * in a test release tarball, or as a test host's installed jailer.
 */
export async function installJailerStandIn(path: string, version: string = JAILER_STAND_IN_VERSION): Promise<void> {
  await writeFile(path, jailerStandInText(version), { mode: 0o755 });
  await chmod(path, 0o755);
}

/** What the jailer builds for one VM: `<base>/<exec file name>/<id>`, whose `root` is the chroot. */
export interface JailSpec {
  chrootBase: string;
  /** The exec file's name (the last part of its canonical path), e.g. `firecracker-v1.12.0-x86_64`. */
  execFileName: string;
  id: string;
}

/** `<base>/<exec file name>/<id>`: what removing a jail removes. */
export function jailDir(spec: JailSpec): string {
  return join(spec.chrootBase, spec.execFileName, spec.id);
}

/** `<base>/<exec file name>/<id>/root`: the jailed process's `/`. */
export function chrootDir(spec: JailSpec): string {
  return join(jailDir(spec), 'root');
}

/** `<chroot>/<exec file name>.pid`: the pid of the process running the exec file. */
export function pidFile(spec: JailSpec): string {
  return join(chrootDir(spec), `${spec.execFileName}.pid`);
}
