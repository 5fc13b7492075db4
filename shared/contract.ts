import type { z } from 'zod';
import { appChannels } from './channels/app.js';
import { diagnosticsChannels } from './channels/diagnostics.js';
import { guestChannels } from './channels/guest.js';
import { hostsChannels } from './channels/hosts.js';
import { imagesChannels } from './channels/images.js';
import { jailChannels } from './channels/jail.js';
import { metricsChannels } from './channels/metrics.js';
import { networkChannels } from './channels/network.js';
import { notificationsChannels } from './channels/notifications.js';
import { settingsChannels } from './channels/settings.js';
import { transfersChannels } from './channels/transfers.js';
import { vmsChannels } from './channels/vms.js';
import { wizardChannels } from './channels/wizard.js';
import { workspacesChannels } from './channels/workspaces.js';
import type { ChannelDef } from './channel.js';

/**
 * Every request channel between renderer and main. Adding a channel is one entry in a
 * `channels/<domain>.ts` file, one route in main, and one slice action in the renderer.
 */
export const channels = {
  ...appChannels,
  ...hostsChannels,
  ...settingsChannels,
  ...workspacesChannels,
  ...vmsChannels,
  ...imagesChannels,
  ...wizardChannels,
  ...networkChannels,
  ...jailChannels,
  ...transfersChannels,
  ...metricsChannels,
  ...notificationsChannels,
  ...diagnosticsChannels,
  ...guestChannels,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;

type DefOf<C extends ChannelName> = Channels[C];
/** What the renderer may pass (before defaults and transforms). */
export type InputOf<C extends ChannelName> =
  DefOf<C> extends ChannelDef<infer I, unknown> ? z.input<I> : never;
/** What a handler receives after validation. */
export type ParsedInputOf<C extends ChannelName> =
  DefOf<C> extends ChannelDef<infer I, unknown> ? z.output<I> : never;
export type OutputOf<C extends ChannelName> =
  DefOf<C> extends ChannelDef<z.ZodType, infer O> ? O : never;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}
