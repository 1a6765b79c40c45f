// Wrappers applied where the handler table is built, from each channel's declaration (Actual Budget's
// `mutator(undoable(fn))`): no handler tells the window what it changed by itself.
import type { ChangeScope } from '../../../shared/channel.ts';
import { channelNames, channels, type Handlers } from '../../../shared/contract.ts';
import type { CoreContext } from '../context.ts';

type AnyHandler = (request: unknown) => unknown;

/** Tells the window the scopes once the call settles: a failed send may still have recorded its error. */
export function changing(ctx: CoreContext, scopes: readonly ChangeScope[]) {
  return (handler: AnyHandler): AnyHandler =>
    async (request) => {
      try {
        return await handler(request);
      } finally {
        ctx.events.emit('data.changed', { scopes: [...scopes] });
      }
    };
}

export function withEffects(ctx: CoreContext, table: Handlers): Handlers {
  const wrapped = { ...table } as Record<string, AnyHandler>;
  for (const name of channelNames) {
    const { changes } = channels[name];
    if (changes.length) wrapped[name] = changing(ctx, changes)(table[name] as AnyHandler);
  }
  return wrapped as Handlers;
}
