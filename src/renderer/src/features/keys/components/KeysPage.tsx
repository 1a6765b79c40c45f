// Keys: apps and their VAPID key pairs.
import { IconKey } from '@tabler/icons-react';
import type { Navigate } from '../../../app/navigation.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';

export function KeysPage(_props: { onNavigate: Navigate }) {
  return (
    <>
      <PageHeader
        title="Keys"
        description="Each app is one website, with its own VAPID key pair and subscribers."
      />
      <EmptyState
        icon={<IconKey size={28} />}
        title="No apps yet"
        description="An app holds the VAPID key pair your website uses as applicationServerKey. Create one to get started."
      />
    </>
  );
}
