import type { Notice } from './channels/app.js';
import type { HostSummary } from './channels/hosts.js';
import type { Settings } from './channels/settings.js';

/** Every event main pushes to the renderer: name → payload. Names are past tense. */
export interface EventMap {
  'settings.changed': Settings;
  'app.noticeRaised': Notice;
  /** A host's configuration, connection state or probe changed. */
  'hosts.changed': HostSummary;
  'hosts.removed': { id: string };
  /** Bytes of a workspace push sent so far. */
  'workspaces.pushProgressed': { transferId: string; sent: number; total: number };
}

export type EventName = keyof EventMap;

export const eventNames: readonly EventName[] = ['settings.changed', 'app.noticeRaised', 'hosts.changed', 'hosts.removed', 'workspaces.pushProgressed'];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name);
}
