import type { Arch } from './channels/hosts.js';

/** `uname -m` → the architecture name Firecracker's releases and images use; null if unsupported. */
export function normalizeArch(machine: string): Arch | null {
  switch (machine.trim().toLowerCase()) {
    case 'x86_64':
    case 'amd64':
      return 'x86_64';
    case 'aarch64':
    case 'arm64':
      return 'aarch64';
    default:
      return null;
  }
}
