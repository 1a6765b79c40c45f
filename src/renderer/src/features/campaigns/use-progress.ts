// Live progress of one campaign from the 'campaigns.progress' events (at most 10 a second, so a state
// update per event keeps the window responsive). When a run ends, main's data.changed re-reads the detail.
import { useEffect, useState } from 'react';
import type { CampaignProgress } from '../../../../shared/campaigns.ts';
import { subscribe } from '../../api/client.ts';

export function useCampaignProgress(campaignId: number): CampaignProgress | null {
  const [progress, setProgress] = useState<{ id: number; value: CampaignProgress } | null>(null);
  useEffect(
    () =>
      subscribe('campaigns.progress', (event) => {
        if (event.campaignId !== campaignId) return;
        setProgress({ id: campaignId, value: event });
      }),
    [campaignId],
  );
  return progress?.id === campaignId ? progress.value : null;
}
