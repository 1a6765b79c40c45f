// Building blocks of the typed IPC contract: a channel pairs a zod schema for its request with the type of
// its response; an event names a payload type sent from main to the renderer.
import type { z } from 'zod';

export interface Channel<I extends z.ZodType, O> {
  readonly input: I;
  /** Phantom field: carries the response type, never set at run time. */
  readonly output?: O;
}

export function channel<I extends z.ZodType>(input: I): { returns<O>(): Channel<I, O> } {
  return {
    returns<O>(): Channel<I, O> {
      return { input };
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
