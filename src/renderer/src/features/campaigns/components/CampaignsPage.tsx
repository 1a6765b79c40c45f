// Campaigns: the history of sends and their results.
import { IconSpeakerphone } from '@tabler/icons-react';
import type { Navigate } from '../../../app/navigation.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';

export function CampaignsPage({ onNavigate }: { onNavigate: Navigate }) {
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Every notification you have sent, with its delivery results."
      />
      <EmptyState
        icon={<IconSpeakerphone size={28} />}
        title="No campaigns yet"
        description="Create an app and its VAPID keys under Keys, import your subscribers, then compose your first notification."
        action={{ label: 'Set up keys', onClick: () => onNavigate('keys') }}
      />
    </>
  );
}
