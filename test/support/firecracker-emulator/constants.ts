/** Fixed facts of the emulated `firecracker` binary (v1.12.0). */
export const FC_VERSION = '1.12.0';
export const SNAPSHOT_DATA_VERSION = 'v6.0.0';
export const DEFAULT_API_SOCK = '/run/firecracker.socket';
export const DEFAULT_INSTANCE_ID = 'anonymous-instance';
export const DEFAULT_PAYLOAD_LIMIT = 51200;
export const MAX_CONNECTIONS = 10;
export const MAX_VCPUS = 32;
export const METRICS_PERIOD_MS = 60_000;
/** micro-http's read buffer: a request line or header longer than this is refused. */
export const READ_BUFFER = 1024;
export const DEFAULT_BOOT_ARGS = 'reboot=k panic=1 pci=off nomodule 8250.nr_uarts=0 i8042.noaux i8042.nomux i8042.dumbkbd';
export const STATE_FILE_MAGIC = 'firedeck-firecracker-emulator-state';
export const MEMORY_FILE_MARK = 'firedeck-firecracker-emulator-guest-memory\n';
export const GUEST_HOSTNAME = 'firedeck-guest';
export const GUEST_KERNEL = '6.1.102';
