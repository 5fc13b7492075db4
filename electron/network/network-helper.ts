import { createHash } from 'node:crypto';
import helperText from '../host-scripts/privileged/firedeck-helper.sh';
import type { NetworkHelperText } from '../../shared/channels/network.js';

/** Where the wizard installs the helper, root-owned, and the folder of its sudoers rule. */
export const HELPER_PATH = '/usr/local/libexec/firedeck/firedeck-helper';
export const SUDOERS_DIR = '/etc/sudoers.d';

/** The text Firedeck ships; an installed helper is used only when its SHA-256 is this text's. */
export const HELPER_TEXT = helperText;
export const HELPER_SHA256 = createHash('sha256').update(helperText, 'utf8').digest('hex');
export const HELPER_VERSION = /^VERSION=(\d+)$/m.exec(helperText)?.[1] ?? '0';

export function sudoersPath(user: string): string {
  return `${SUDOERS_DIR}/firedeck-${user}`;
}

/** The one rule the install writes: this user may run the helper as root, and nothing else. */
export function sudoersLine(user: string): string {
  return `${user} ALL=(root) NOPASSWD: ${HELPER_PATH}`;
}

export function describeHelper(user: string): NetworkHelperText {
  return { path: HELPER_PATH, text: HELPER_TEXT, sha256: HELPER_SHA256, version: HELPER_VERSION, sudoersPath: sudoersPath(user), sudoersLine: sudoersLine(user) };
}
