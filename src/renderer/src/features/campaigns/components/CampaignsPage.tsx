// Campaigns: the history of sends, and one campaign's launch pad, live progress and results.
import type { Navigate } from '../../../app/navigation.ts';
import { useOpenCampaign } from '../route.ts';
import { CampaignDetailView } from './CampaignDetailView.tsx';
import { CampaignHistory } from './CampaignHistory.tsx';

export function CampaignsPage({ onNavigate }: { onNavigate: Navigate }) {
  const [openId, open] = useOpenCampaign();
  return openId === null ? (
    <CampaignHistory onOpen={open} onNavigate={onNavigate} />
  ) : (
    <CampaignDetailView id={openId} onOpen={open} />
  );
}
