import type { Notice } from './channels/app.js';
import type { Settings } from './channels/settings.js';

/** Every event main pushes to the renderer: name → payload. Names are past tense. */
export interface EventMap {
  'settings.changed': Settings;
  'app.noticeRaised': Notice;
}

export type EventName = keyof EventMap;

export const eventNames: readonly EventName[] = ['settings.changed', 'app.noticeRaised'];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name);
}
