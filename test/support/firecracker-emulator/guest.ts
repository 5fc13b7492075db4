/**
 * What runs inside the emulated microVM. Two kinds: the script guest (a boot log and a tiny shell
 * on the console, for API tests) and a real Linux guest under QEMU (see qemu-guest.ts). The VMM
 * state machine calls these; a guest never changes the VMM's state itself.
 */
export interface Guest {
  /** Starts the guest; a rejection (a Fault) fails InstanceStart and leaves the VMM not started. */
  boot(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** The Ctrl+Alt+Del key press reaching a running guest. */
  ctrlAltDel(): void;
  /** What the snapshot state file keeps of the guest (JSON). */
  snapshotState(): SavedGuest;
  /** Fills the memory file (already created, open as `memFd`) with guest memory and device state. */
  saveMemory(memPath: string, memFd: number): Promise<void>;
}

export interface SavedGuest {
  kind: 'script' | 'qemu';
  [key: string]: unknown;
}
