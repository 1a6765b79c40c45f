// App-wide reactions to campaigns running in main: a toast when the scheduler starts (or cannot start) a
// campaign, and the history's counts refreshed every few seconds while something sends.
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { subscribe } from '../../api/client.ts';
import { campaignKeys } from './queries.ts';

const LIST_REFRESH_MS = 2000;

export function useCampaignNotices(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    let lastRefresh = 0;
    const offProgress = subscribe('campaigns.progress', () => {
      const now = Date.now();
      if (now - lastRefresh < LIST_REFRESH_MS) return;
      lastRefresh = now;
      void queryClient.invalidateQueries({ queryKey: campaignKeys.lists() });
    });
    const offSchedule = subscribe('schedule.ran', ({ started, failed }) => {
      for (const id of started) {
        notifications.show({
          color: 'blue',
          title: 'Scheduled campaign started',
          // A local-time campaign comes back here at each zone's release.
          message: `Campaign #${id} is sending (a scheduled start, or the next time zone of a local-time campaign).`,
        });
      }
      for (const f of failed) {
        notifications.show({
          color: 'red',
          autoClose: false,
          title: `Scheduled campaign #${f.campaignId} did not start`,
          message: f.message,
        });
      }
    });
    return () => {
      offProgress();
      offSchedule();
    };
  }, [queryClient]);
}
