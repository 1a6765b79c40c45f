// Mutations of the keys area. Each channel declares what it changes (apps: the key queries live under that
// root); main tells the window once the call settles.
import { useMutation } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract.ts';
import { call } from '../../api/client.ts';

type KeysChannel =
  | 'apps.create'
  | 'apps.setSubject'
  | 'apps.setDelivery'
  | 'apps.delete'
  | 'keys.import'
  | 'keys.rotate'
  | 'keys.exportPrivate'
  | 'keys.setProtection'
  | 'keys.changePassphrase'
  | 'keys.unlock';

export function useKeysMutation<K extends KeysChannel>(channel: K) {
  return useMutation({ mutationFn: (input: ChannelInput<K>) => call(channel, input) });
}
