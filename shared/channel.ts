import type { z } from 'zod';

/**
 * A request channel: its input schema (checked at run time in main) and its output type
 * (a compile-time phantom: main produces it, so only the renderer's types need it).
 */
export interface ChannelDef<I extends z.ZodType, O> {
  readonly input: I;
  readonly output?: O;
}

/** `channel<Output>()(inputSchema)`: the two-step call lets TypeScript infer the input type. */
export function channel<O>() {
  return <I extends z.ZodType>(input: I): ChannelDef<I, O> => ({ input });
}
