// Mutations of the keys area. Main emits data.changed (scope 'apps') after each; the lists are also
// refreshed here, so the page never shows a stale key.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract.ts';
import { call } from '../../api/client.ts';
import { appKeys } from '../apps/queries.ts';

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
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<K>) => call(channel, input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: appKeys.all }),
  });
}
