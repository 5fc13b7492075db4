import type { z } from 'zod';
import { channels, isChannelName } from '../shared/contract.js';
import type { ChannelName, OutputOf, ParsedInputOf } from '../shared/contract.js';
import type { AppErrorShape, InputIssue, InvokeResult } from '../shared/errors.js';
import { AppError } from './app-error.js';

/**
 * Who sent a request: one window load (Electron) or one browser tab's bridge socket. Whatever a
 * request opens that outlives it (a console, a terminal, a forward) belongs to this owner and is
 * closed when the transport reports the owner gone (core.releaseOwner).
 */
export interface Caller {
  ownerId: string;
}

export type Handler<C extends ChannelName> = (
  input: ParsedInputOf<C>,
  caller: Caller,
) => Promise<OutputOf<C>> | OutputOf<C>;

/** One handler per channel; a missing one is a compile error in `createCore`. */
export type Handlers = { [C in ChannelName]: Handler<C> };
/**
 * The routes of one domain, typed from its channel map (`RoutesOf<typeof hostsChannels>`), so a
 * missing or misspelt route fails to compile where the routes are written.
 */
export type RoutesOf<Map> = { [K in keyof Map & ChannelName]: Handler<K> };

/** The only gate between an untrusted renderer and the services. */
export interface Router {
  handle(channel: unknown, input: unknown, caller: Caller): Promise<InvokeResult>;
}

export interface RouterLog {
  warn(message: string): void;
  error(message: string, error: unknown): void;
}

export function createRouter(handlers: Handlers, log: RouterLog): Router {
  return {
    async handle(channel, input, caller) {
      if (!isChannelName(channel)) {
        log.warn(`refused request on unknown channel ${describe(channel)}`);
        return fail({
          code: 'UNKNOWN_CHANNEL',
          message: `Firedeck has no request named ${describe(channel)}.`,
          remedy: 'Reload the window; if this keeps happening, the app and its window are from different versions.',
        });
      }
      const schema: z.ZodType = channels[channel].input;
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        const issues = toIssues(parsed.error);
        log.warn(`refused invalid input on ${channel}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
        return fail({
          code: 'INVALID_INPUT',
          message: `Invalid input for ${channel}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          details: { issues },
        });
      }
      try {
        const handler = handlers[channel] as (input: unknown, caller: Caller) => unknown;
        return { ok: true, value: await handler(parsed.data, caller) };
      } catch (error) {
        if (error instanceof AppError) return fail(error.toShape());
        // Unknown failures are logged in full here and reported in general terms: a stack trace
        // or a local path has no use to the renderer and tells an attacker about this machine.
        log.error(`request ${channel} failed`, error);
        return fail({
          code: 'INTERNAL',
          message: `Firedeck hit an unexpected problem while handling ${channel}.`,
          remedy: 'Try again. If it keeps happening, restart Firedeck and check its log.',
        });
      }
    },
  };
}

function fail(error: AppErrorShape): InvokeResult {
  return { ok: false, error };
}

function toIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(input)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return `(a ${typeof value})`;
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}
