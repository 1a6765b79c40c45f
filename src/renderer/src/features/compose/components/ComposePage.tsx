// Compose: write a notification, preview it, and pick its audience.
import { IconPencil } from '@tabler/icons-react';
import type { Navigate } from '../../../app/navigation.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';

export function ComposePage({ onNavigate }: { onNavigate: Navigate }) {
  return (
    <>
      <PageHeader
        title="Compose"
        description="Write a notification, preview it and choose who receives it."
      />
      <EmptyState
        icon={<IconPencil size={28} />}
        title="Nothing to compose for yet"
        description="Notifications go to the subscribers of an app. Create an app under Keys first."
        action={{ label: 'Create an app', onClick: () => onNavigate('keys') }}
      />
    </>
  );
}
