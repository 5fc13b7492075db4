import type { ChannelName, InputOf, OutputOf } from '../../shared/contract';
import type { EventMap, EventName } from '../../shared/events';

export type ConnectionStatus =
  | { state: 'connecting' }
  | { state: 'connected' }
  /** The backend went away; the client keeps retrying. */
  | { state: 'lost'; since: number }
  /**
   * The backend is up but refused this tab's credential: the token of an earlier launch (the
   * backend restarted), or a one-time launch link used before. Retrying cannot help; a new
   * address (a fragment change) can.
   */
  | { state: 'refused'; credential: 'token' | 'launch' }
  /** Nothing to retry: e.g. browser mode opened without its token. */
  | { state: 'unusable'; message: string; remedy: string };

/** How the renderer reaches main. Views never call it: slice actions do. */
export interface FiredeckApi {
  invoke<C extends ChannelName>(channel: C, ...input: InputArgs<C>): Promise<OutputOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  status(): ConnectionStatus;
}

/** Channels whose input is `undefined` are called without one. */
export type InputArgs<C extends ChannelName> = undefined extends InputOf<C> ? [input?: InputOf<C>] : [input: InputOf<C>];
