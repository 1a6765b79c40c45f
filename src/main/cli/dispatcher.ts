// The CLI's door into the core: the window's dispatcher, in process, with the CLI's own error lines.
import type { ChannelInput, ChannelName, ChannelOutput } from '../../shared/contract.ts';
import { isPushdeckError, PushdeckError } from '../../shared/errors.ts';
import type { Door } from '../core/dispatch/in-process.ts';

export type Call = <K extends ChannelName>(channel: K, input: ChannelInput<K>) => Promise<ChannelOutput<K>>;
/** The core's events heard in process (a run's progress and end): `on(event, listener)` → unsubscribe. */
export type On = Door['on'];

export function cliCaller(door: Door): Call {
  return async (channel, input) => {
    try {
      return await door.call(channel, input);
    } catch (error) {
      // The request was built from flags: the channel's name means nothing to whoever typed them.
      if (isPushdeckError(error) && error.code === 'IPC_INVALID_INPUT') {
        throw new PushdeckError(error.code, error.message.replace(/^Invalid \S+: /, ''));
      }
      throw error;
    }
  };
}
