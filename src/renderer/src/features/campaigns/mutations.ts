// Mutations of the campaigns area. Each channel declares what it changes (campaigns, for all of these): main
// tells the window once the call settles, and the one change listener refreshes lists and details alike.
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import type { ResultsFormat } from '../../../../shared/results-export.ts';
import type { ChannelInput } from '../../../../shared/contract.ts';
import type { DeliveryTiming } from '../../../../shared/delivery-time.ts';
import { call } from '../../api/client.ts';
import { formatCount } from './format.ts';
import { showError } from '../../components/show-error.ts';

type Action =
  'campaigns.send' | 'campaigns.pause' | 'campaigns.resume' | 'campaigns.cancel' | 'campaigns.retryFailed';

export function useCampaignAction(action: Action, id: number) {
  return useMutation({
    mutationFn: (extra: { resendUncertain?: boolean } = {}) =>
      action === 'campaigns.resume' ? call(action, { id, ...extra }) : call(action, { id }),
    onError: showError('The campaign could not do that'),
  });
}

/** "Send the rest with variant X": the held part of an A/B campaign gets the winner. */
export function useSendRest(id: number) {
  return useMutation({
    mutationFn: (variant: string) => call('campaigns.sendRest', { id, variant }),
    onError: showError('The rest could not be sent'),
  });
}

export function useDuplicateCampaign() {
  return useMutation({
    mutationFn: (id: number) => call('campaigns.duplicate', { id }),
    onError: showError('Could not duplicate the campaign'),
  });
}

export function useDeleteDraft() {
  return useMutation({
    mutationFn: (id: number) => call('campaigns.deleteDraft', { id }),
    onError: showError('Could not delete the draft'),
  });
}

export function useCreateCampaign() {
  return useMutation({
    mutationFn: (input: ChannelInput<'campaigns.create'>) => call('campaigns.create', input),
    onError: showError('Could not create the campaign'),
  });
}

/** Main asks where to save and streams every delivery of the campaign to that file. */
export function useExportResults(id: number) {
  return useMutation({
    mutationFn: (format: ResultsFormat) => call('results.export', { id, format }),
    onSuccess: (result) => {
      if (result.saved) {
        notifications.show({
          color: 'teal',
          title: `Exported ${formatCount(result.rows)} deliveries`,
          message: result.path,
        });
      }
    },
    onError: showError('Export failed'),
  });
}

/**
 * Schedules a draft (or unschedules it: `at` null). `at: 'local'` plans each zone's release from the
 * timing's local time; a number starts it for everyone then. The timing is stored on the draft first.
 */
export function useScheduleCampaign() {
  return useMutation({
    mutationFn: async (input: {
      campaignId: number;
      at: number | 'local' | null;
      timing?: DeliveryTiming;
    }) => {
      if (input.at === null) return call('schedule.clear', { campaignId: input.campaignId });
      if (input.timing) await call('campaigns.setTiming', { id: input.campaignId, timing: input.timing });
      return input.at === 'local'
        ? call('campaigns.send', { id: input.campaignId })
        : call('schedule.set', { campaignId: input.campaignId, at: input.at });
    },
    onError: showError('Could not schedule the campaign'),
  });
}
