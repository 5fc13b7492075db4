import { lstatSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Why `bind(2)` would refuse this path (Node reports most pipe bind errors as EACCES). */
export function bindProblem(sockPath: string): NodeJS.ErrnoException | null {
  try {
    lstatSync(sockPath);
    return Object.assign(new Error('in use'), { code: 'EADDRINUSE' });
  } catch {
    // free: check the directory
  }
  if (Buffer.byteLength(sockPath) >= 108) return new Error('path must be shorter than SUN_LEN');
  try {
    if (!statSync(dirname(sockPath)).isDirectory()) return Object.assign(new Error('not a dir'), { code: 'ENOTDIR' });
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
  return null;
}
