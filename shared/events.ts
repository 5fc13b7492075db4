import type { Notice } from './channels/app.js';
import type { GuestForward } from './channels/guest.js';
import type { HostSummary } from './channels/hosts.js';
import type { MetricsSampledEvent } from './channels/metrics.js';
import type { AppNotification, TaskFinishedEvent } from './channels/notifications.js';
import type { Settings } from './channels/settings.js';
import type { AppErrorShape } from './errors.js';
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
  /** One sample of a host's metrics (its own figures and each VM's), while a window watches it. */
  'metrics.sampled': MetricsSampledEvent;
  'notifications.raised': AppNotification;
  'notifications.dismissed': { id: string };
  /** A long task (wizard run, push, sync, import) ended; emitted by the service that ran it. */
  'tasks.finished': TaskFinishedEvent;
  /** Guest terminals (SSH shells in a guest) and commands run in a guest. */
  'guest.terminalOutput': { sessionId: string; data: string };
  'guest.terminalClosed': { sessionId: string; reason: string };
  'guest.execOutput': { execId: string; stream: 'stdout' | 'stderr'; data: string };
  /** `exitCode` null: ended by a signal, a cancel or a lost connection (`signal`, `error`). */
  'guest.execExited': { execId: string; exitCode: number | null; signal?: string; error?: AppErrorShape };
  /** A VM's forwarded ports changed (one was removed because the VM stopped, or its owner went). */
  'guest.forwardsChanged': { hostId: string; id: string; forwards: GuestForward[] };
  /** Jails whose microVM's run directory was gone were removed when the host connected. */
  'jail.swept': { hostId: string; vmIds: string[]; failed: string[] };
  /** A host setup step changed (status, commands, progress). */
  'wizard.stepProgressed': { hostId: string; step: SetupStepState; running: boolean };
}

export type EventName = keyof EventMap;

