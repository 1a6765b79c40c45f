// Mutations of the settings area.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../../shared/contract.ts';
import { call } from '../../api/client.ts';
import { settingsKeys } from './queries.ts';

export function useUpdateSendingSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ChannelInput<'settings.updateSending'>) => call('settings.updateSending', patch),
    onSuccess: (settings) => queryClient.setQueryData(settingsKeys.sending(), settings),
  });
}
