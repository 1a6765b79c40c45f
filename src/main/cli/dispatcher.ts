// The CLI's door into the core: the window's dispatcher, in process, with the CLI's own error lines.
import type { ChannelInput, ChannelName, ChannelOutput } from '../../shared/contract.ts';
import { PushdeckError } from '../../shared/errors.ts';
import type { CoreContext } from '../core/context.ts';
import { createDispatcher } from '../core/dispatch/dispatcher.ts';
import type { HandlerOptions } from '../core/dispatch/handler-table.ts';

export type Call = <K extends ChannelName>(channel: K, input: ChannelInput<K>) => Promise<ChannelOutput<K>>;

export function cliCaller(ctx: CoreContext, options: HandlerOptions = {}): Call {
  let unexpected: unknown;
  const log = (_message: string, error: unknown) => (unexpected = error);
  const door = createDispatcher({ context: ctx, actor: 'cli', log, ...options });
  return async (channel, input) => {
    unexpected = undefined;
    const envelope = await door.dispatch(channel, input);
    if (envelope.ok) return envelope.result as ChannelOutput<typeof channel>;
    // Not Pushdeck's error: the CLI reports it itself (a full disk says what became of the work).
    if (envelope.error.code === 'INTERNAL' && unexpected !== undefined) throw unexpected;
    // The request was built from flags: the channel's name means nothing to whoever typed them.
    const message =
      envelope.error.code === 'IPC_INVALID_INPUT'
        ? envelope.error.message.replace(/^Invalid \S+: /, '')
        : envelope.error.message;
    throw new PushdeckError(envelope.error.code, message);
  };
}
