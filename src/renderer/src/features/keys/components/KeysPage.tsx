// Keys: apps (one website each) and their VAPID key pairs, and how the private keys are protected.
import { Button, Loader } from '@mantine/core';
import { IconFileImport, IconKey, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useWindowEvent } from '@mantine/hooks';
import { useState } from 'react';
import type { AppSummary } from '../../../../../shared/apps.ts';
import type { Navigate } from '../../../app/navigation.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useCurrentApp } from '../../apps/current-app.ts';
import { appListQuery } from '../../apps/queries.ts';
import { AppDeliveryPanel } from './AppDeliveryPanel.tsx';
import { AppKeyPanel } from './AppKeyPanel.tsx';
import { AppsTable } from '../../apps/components/AppsTable.tsx';
import { CreateAppModal } from '../../apps/components/CreateAppModal.tsx';
import { DeleteAppModal } from '../../apps/components/DeleteAppModal.tsx';
import { EditSubjectModal } from '../../apps/components/EditSubjectModal.tsx';
import { ExportPrivateKeyModal } from './ExportPrivateKeyModal.tsx';
import { ImportKeysModal } from './ImportKeysModal.tsx';
import { ProtectionPanel } from './ProtectionPanel.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';

/** `#/keys/new` (the navbar's "Create your first app") opens the create dialog. */
export const NEW_APP_HASH = '#/keys/new';

type Dialog = 'create' | 'import' | 'subject' | 'export' | 'delete' | null;

export function KeysPage(_props: { onNavigate: Navigate }) {
  const apps = useQuery(appListQuery());
  const { app: current, setAppId } = useCurrentApp();
  const [dialog, setDialog] = useState<Dialog>(() =>
    window.location.hash === NEW_APP_HASH ? 'create' : null,
  );
  useWindowEvent('hashchange', () => {
    if (window.location.hash === NEW_APP_HASH) setDialog('create');
  });
  const list = apps.data ?? [];
  const currentApp = list.find((a) => a.id === current?.id) ?? null;
  const close = () => {
    if (window.location.hash === NEW_APP_HASH) window.history.replaceState(null, '', '#/keys');
    setDialog(null);
  };
  const select = (app: AppSummary) => setAppId(app.id);

  return (
    <>
      <PageHeader
        title="Keys"
        description="Each app is one website, with its own VAPID key pair and subscribers."
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconFileImport size={16} />}
              onClick={() => setDialog('import')}
            >
              Import key pair
            </Button>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog('create')}>
              New app
            </Button>
          </>
        }
      />
      <ProtectionPanel />
      {apps.isPending && <Loader aria-label="Loading" />}
      <ErrorAlert error={apps.error} title="Could not read the apps" />
      {apps.data && list.length === 0 && (
        <EmptyState
          icon={<IconKey size={28} />}
          title="No apps yet"
          description="An app holds the VAPID key pair your website uses as applicationServerKey. Create one (Pushdeck generates the keys), or import the pair your site already uses."
          action={{ label: 'Create an app', onClick: () => setDialog('create') }}
        />
      )}
      {list.length > 0 && (
        <>
          <AppsTable apps={list} currentId={currentApp?.id ?? null} onSelect={setAppId} />
          {currentApp && (
            <>
              <AppKeyPanel
                app={currentApp}
                onEditSubject={() => setDialog('subject')}
                onExportPrivate={() => setDialog('export')}
                onDelete={() => setDialog('delete')}
              />
              {/* Keyed by app: the form starts from what that app has saved. */}
              <AppDeliveryPanel key={currentApp.id} app={currentApp} />
            </>
          )}
        </>
      )}
      <CreateAppModal opened={dialog === 'create'} onClose={close} apps={list} onCreated={select} />
      <ImportKeysModal opened={dialog === 'import'} onClose={close} apps={list} onImported={select} />
      <EditSubjectModal app={dialog === 'subject' ? currentApp : null} onClose={close} />
      <ExportPrivateKeyModal app={dialog === 'export' ? currentApp : null} onClose={close} />
      <DeleteAppModal app={dialog === 'delete' ? currentApp : null} onClose={close} />
    </>
  );
}
