// Live progress of one campaign from the 'campaigns.progress' events (at most 10 a second, so a state
// update per event keeps the window responsive). When a run ends, the detail and history are re-read.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { CampaignProgress } from '../../../../shared/campaigns.ts';
import { subscribe } from '../../api/client.ts';
import { campaignKeys } from './queries.ts';

export function useCampaignProgress(campaignId: number): CampaignProgress | null {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<{ id: number; value: CampaignProgress } | null>(null);
  useEffect(
    () =>
      subscribe('campaigns.progress', (event) => {
        if (event.campaignId !== campaignId) return;
        setProgress({ id: campaignId, value: event });
        if (event.finished) void queryClient.invalidateQueries({ queryKey: campaignKeys.all });
      }),
    [campaignId, queryClient],
  );
  return progress?.id === campaignId ? progress.value : null;
}
