// Subscriptions: the subscriber lists of each app.
import { IconUsers } from '@tabler/icons-react';
import type { Navigate } from '../../../app/navigation.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';

export function SubscriptionsPage({ onNavigate }: { onNavigate: Navigate }) {
  return (
    <>
      <PageHeader
        title="Subscriptions"
        description="Import, browse, tag and export the subscribers of each app."
      />
      <EmptyState
        icon={<IconUsers size={28} />}
        title="No subscribers yet"
        description="Subscriptions belong to an app and its VAPID key. Create an app under Keys, then import a JSON, NDJSON or CSV list."
        action={{ label: 'Create an app', onClick: () => onNavigate('keys') }}
      />
    </>
  );
}
