import type { Notice } from './channels/app.js';
import type { HostSummary } from './channels/hosts.js';
import type { Settings } from './channels/settings.js';
import type { VmSummary } from './channels/vms.js';
import type { SetupStepState } from './channels/wizard.js';

/** Every event main pushes to the renderer: name → payload. Names are past tense. */
export interface EventMap {
  'settings.changed': Settings;
  'app.noticeRaised': Notice;
  /** A host's configuration, connection state or probe changed. */
  'hosts.changed': HostSummary;
  'hosts.removed': { id: string };
  /** Bytes of a transfer to a host (workspace push, image import, wizard upload) sent so far. */
  'transfers.progressed': { transferId: string; sent: number; total: number };
  'vms.changed': VmSummary;
  'vms.removed': { hostId: string; id: string };
  /** Serial console output of an open console session. */
  'vms.consoleOutput': { sessionId: string; data: string };
  'vms.consoleClosed': { sessionId: string; reason: string };
  /** An open console lost its channel (the host went away) and is reconnecting, or is back. */
  'vms.consoleStateChanged': { sessionId: string; state: 'reconnecting' | 'connected'; message: string };
  /** One step of a long operation (create, restore) finished or started. */
  'vms.stepProgressed': { hostId: string; id: string; step: string; status: 'running' | 'done' | 'skipped' | 'failed' | 'undone' };
  /** A host setup step changed (status, commands, progress). */
  'wizard.stepProgressed': { hostId: string; step: SetupStepState; running: boolean };
}

export type EventName = keyof EventMap;

