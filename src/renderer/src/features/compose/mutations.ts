// Mutations of the compose area: templates and segments. Main emits data.changed for them, which
// invalidates the lists; errors are shown as toasts with the message main wrote for a person.
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import type { ChannelInput, WindowChannelName } from '../../../../shared/contract.ts';
import { call } from '../../api/client.ts';
import { showError } from '../../components/show-error.ts';

function useCall<K extends WindowChannelName>(channel: K, success?: string) {
  return useMutation({
    mutationFn: (input: ChannelInput<K>) => call(channel, input),
    onSuccess: () => {
      if (success) notifications.show({ message: success, color: 'teal' });
    },
    onError: showError('Not done'),
  });
}

export const useSaveTemplate = () => useCall('templates.save', 'Template saved');
export const useRenameTemplate = () => useCall('templates.rename', 'Template renamed');
export const useDuplicateTemplate = () => useCall('templates.duplicate', 'Template duplicated');
export const useDeleteTemplate = () => useCall('templates.delete', 'Template deleted');
export const useSaveSegment = () => useCall('segments.save', 'Segment saved');
export const useDeleteSegment = () => useCall('segments.delete', 'Segment deleted');
