/**
 * Every error code a user can meet, with what it means to them. Main throws only these
 * (`AppError` accepts nothing else), and the renderer branches on them through `code`, never on
 * a message or a string literal. One line per code, in alphabetical order. Kept free of zod so
 * the renderer can import it.
 */
export const errorCodes = {
  AGENT_UNAVAILABLE: 'The SSH agent could not be reached or holds no usable key.',
  API_RELAY_MISSING: 'The host forbids SSH forwarding and has no tool to relay the Firecracker API (socat, python3, perl).',
  AUTH_FAILED: 'The host refused the password, key or agent keys offered.',
  BACKEND_UNAVAILABLE: 'The window cannot reach the Firedeck backend right now.',
  BRIDGE_FAILED: 'The API bridge on the host could not be started.',
  CANCELLED: 'The user cancelled the operation.',
  CATALOG_EMPTY: 'The image catalog has no image of the kind and architecture asked for.',
  CATALOG_UNAVAILABLE: 'The image catalog could not be read.',
  COMMAND_TIMEOUT: 'A command on the host did not finish in time.',
  CONFLICT: 'Something of that name already exists, or the operation is already running.',
  CONSOLE_UNAVAILABLE: 'The serial console could not be opened.',
  DOWNLOAD_FAILED: 'A download (release or image) failed.',
  FAKEROOT_MISSING: 'Building a root filesystem needs root, fakeroot or passwordless sudo on the host, and it has none of them.',
  FILE_TOO_LARGE: 'The file is too large for what was asked (e.g. the text editor).',
  FIRECRACKER_API_ERROR: 'Firecracker refused an API request; the message is its own.',
  FIRECRACKER_CHECKSUM_MISMATCH: 'The downloaded Firecracker release does not match its published checksum.',
  FIRECRACKER_EXITED: 'The Firecracker process exited right after it was started.',
  FIRECRACKER_MISSING: 'Firecracker is not installed on the host.',
  FIRECRACKER_TIMEOUT: 'The Firecracker API did not answer in time.',
  FIRECRACKER_UNREACHABLE: 'The Firecracker API socket could not be reached.',
  FORBIDDEN: 'The request came from somewhere other than the Firedeck window.',
  HELPER_MISSING: 'The Firedeck network helper is not installed on the host.',
  HELPER_REFUSED: 'The network helper refused a request outside its job.',
  HELPER_TAMPERED: 'The installed network helper is not the one Firedeck ships, or others than root can change it.',
  HOST_COMMAND_FAILED: 'A command on the host failed; the message carries its output.',
  HOST_KEY_CHANGED: 'The host presents a different key than the one on record.',
  HOST_KEY_NOT_PRESENTED: 'The key to trust is not the one the host presented in this session.',
  HOST_KEY_REVOKED: 'The host presents a key marked @revoked.',
  HOST_KEY_UNKNOWN: 'The host key has not been seen before and must be checked and trusted.',
  HOST_NOT_CONNECTED: 'The host is not connected.',
  HOST_UNREACHABLE: 'The host could not be reached over the network.',
  HOST_UNSUPPORTED: 'The host has an architecture Firecracker does not run on.',
  IMAGE_UNKNOWN: 'The file is neither a kernel nor a root filesystem Firedeck can use.',
  INTERNAL: 'Firedeck hit an unexpected problem; details are in its log.',
  INVALID_INPUT: 'A request carried invalid input; details name the fields.',
  INVALID_PATH: 'A path is malformed or names the wrong kind of file.',
  JAIL_ESCAPE: 'A path leads outside its workspace folder and was refused.',
  KERNEL_ARCH_MISMATCH: 'The kernel is built for another architecture than the host.',
  KERNEL_UNKNOWN: 'The file is not a kernel Firecracker can boot.',
  KEY_INVALID: 'The file is not a private key Firedeck can use.',
  KEY_PASSPHRASE_REQUIRED: 'The private key needs its passphrase.',
  KEY_PASSPHRASE_WRONG: 'The passphrase for the private key is wrong.',
  KEY_UNREADABLE: 'The private key file cannot be read.',
  KNOWN_HOSTS_UNREADABLE: 'A known_hosts file cannot be read.',
  KVM_EACCES: 'The SSH user may not open /dev/kvm.',
  KVM_ENODEV: 'The host has /dev/kvm but no virtualization extensions.',
  KVM_MISSING: 'The host has no /dev/kvm.',
  KVM_UNKNOWN: 'Opening /dev/kvm failed for another reason.',
  NETWORK_TOOL_MISSING: 'The host lacks a tool guest networking needs (ip, nft).',
  NOT_FOUND: 'What the request names does not exist (any more).',
  NOT_TEXT: 'The file is binary and cannot open in the text editor.',
  POOL_EXHAUSTED: 'Every address block of the network pool is in use on the host.',
  POOL_INVALID: 'The network pool is not a private IPv4 network Firedeck can cut into /30 blocks.',
  POOL_OVERLAP: 'The network pool overlaps a route the host already has.',
  PUSH_CHECKSUM_MISMATCH: 'A copied file arrived different from the original and was removed.',
  PUSH_FAILED: 'Copying a file to the host failed.',
  ROOTFS_UNPACK_FAILED: 'The root filesystem image could not be unpacked on the host; the message is the tool’s own.',
  SECRET_REQUIRED: 'The host needs a password or passphrase that Firedeck does not have.',
  SFTP_UNAVAILABLE: 'The host offers no working SFTP.',
  SSH_CHANNEL_FAILED: 'The host refused to open another SSH channel.',
  SSH_CONNECTION_LOST: 'The SSH connection dropped.',
  STORE_READ_FAILED: 'A Firedeck data file could not be read.',
  STORE_WRITE_FAILED: 'A Firedeck data file could not be saved.',
  STREAMLOCAL_FORBIDDEN: 'The host’s sshd forbids forwarding to Unix sockets.',
  SUDO_PASSWORD_WRONG: 'sudo refused the password given, or the user may not use sudo.',
  SUDO_REQUIRED: 'The operation needs sudo, which asks for a password or is missing.',
  UNKNOWN_CHANNEL: 'The window asked for a request the backend does not know.',
  UPLOAD_OUT_OF_ORDER: 'A chunk of an upload arrived out of order.',
  UPLOAD_UNKNOWN: 'An upload was interrupted and is no longer known.',
  VM_LEFT_PAUSED: 'The snapshot was taken but the microVM could not be resumed.',
  VM_NOT_RUNNING: 'The microVM is not running.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** `code.HOST_KEY_UNKNOWN === 'HOST_KEY_UNKNOWN'`: what the renderer compares error codes with. */
export const code = Object.freeze(Object.fromEntries(Object.keys(errorCodes).map((name) => [name, name]))) as { readonly [C in ErrorCode]: C };

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(errorCodes, value);
}
