// Which campaign is open: kept in the hash (#/campaigns/12) so that reloads and back/forward keep it.
import { useCallback, useSyncExternalStore } from 'react';
import { subscribeHash } from '../../app/use-area.ts';

export function campaignIdFromHash(hash: string): number | null {
  const match = /^#\/campaigns\/(\d+)/.exec(hash);
  return match ? Number(match[1]) : null;
}

export function useOpenCampaign(): [number | null, (id: number | null) => void] {
  const id = useSyncExternalStore(subscribeHash, () => campaignIdFromHash(window.location.hash));
  const open = useCallback((next: number | null) => {
    window.location.hash = next === null ? '#/campaigns' : `#/campaigns/${next}`;
  }, []);
  return [id, open];
}
