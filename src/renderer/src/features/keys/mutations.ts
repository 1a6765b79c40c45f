// Mutations of the keys area. Each channel declares what it changes (apps: the key queries live under that
// root); main tells the window once the call settles.
import { useMutation } from '@tanstack/react-query';
import type { ChannelInput, WindowChannelName } from '../../../../shared/contract.ts';
import { call } from '../../api/client.ts';

/** The apps and keys channels the window may call, as the contract declares them (no list to keep here). */
type KeysChannel = Extract<WindowChannelName, `apps.${string}` | `keys.${string}`>;

export function useKeysMutation<K extends KeysChannel>(channel: K) {
  return useMutation({ mutationFn: (input: ChannelInput<K>) => call(channel, input) });
}
