// Building blocks of the typed IPC contract: a channel pairs a zod schema for its request with the type of
// its response, and declares where it runs and what it changes; an event names a payload type sent from main
// to the renderer.
import type { z } from 'zod';

/**
 * The renderer's query-key roots, one per feature's key factory (`campaignKeys.all` is `['campaigns']`): a
 * channel's change names the roots it makes stale, and the window invalidates exactly those.
 */
export const changeScopes = [
  'apps',
  'subscriptions',
  'compose',
  'templates',
  'segments',
  'campaigns',
  'audit',
  'settings',
  'doctor',
  'support',
] as const;
export type ChangeScope = (typeof changeScopes)[number];

/**
 * Which thread serves a channel: `main`; `query`, the query thread where the app runs one (reads and bulk
 * writes over a million rows); `sending`, main starting a sending thread and answering once it has started
 * (the run itself tells the window when it starts and ends, whoever started it: the window or the scheduler).
 */
export type Placement = 'main' | 'query' | 'sending';

/**
 * Who may call a channel: anyone (the window too), or only the command line, for requests that name a path
 * the user typed (the window names files by token only) or answer with a private key. The door refuses a
 * `cli` channel to any other caller (IPC_FORBIDDEN).
 */
export type Callers = 'any' | 'cli';

export interface ChannelDeclaration<F extends Callers = Callers> {
  /** main when not said. */
  on?: Placement;
  /** What a call changes: the dispatcher tells the window once the call settles (data.changed). */
  changes?: readonly ChangeScope[];
  /** any when not said. */
  from?: F;
}

export interface Channel<I extends z.ZodType, O, F extends Callers = Callers> {
  readonly input: I;
  readonly placement: Placement;
  readonly changes: readonly ChangeScope[];
  /** Kept as written (`'cli'`), so that the window's API type can leave the CLI's channels out. */
  readonly callers: F;
  /** Phantom field: carries the response type, never set at run time. */
  readonly output?: O;
}

export function channel<I extends z.ZodType, F extends Callers = 'any'>(
  input: I,
  { on = 'main', changes = [], from = 'any' as F }: ChannelDeclaration<F> = {},
): { returns<O>(): Channel<I, O, F> } {
  return {
    returns<O>(): Channel<I, O, F> {
      return { input, placement: on, changes, callers: from };
    },
  };
}

export interface EventSpec<P> {
  /** Phantom field: carries the payload type. */
  readonly payload?: P;
}

export function event<P>(): EventSpec<P> {
  return {};
}

type Merged<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]]
  ? H & Merged<R>
  : unknown;

/**
 * Merges per-feature maps (channels, handlers) into one, refusing a name two of them define: an object spread
 * would let one feature silently replace another's channel.
 */
export function mergeUnique<T extends readonly object[]>(...maps: T): Merged<T> {
  const merged: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [name, value] of Object.entries(map)) {
      if (Object.hasOwn(merged, name)) throw new Error(`Channel ${name} is defined twice.`);
      merged[name] = value;
    }
  }
  return merged as Merged<T>;
}
