// Subscriptions: the subscriber list of the current app. Import by button or by dropping a file anywhere on
// the window; browse a virtualized table with filters and search; act on a selection or on every row a
// filter matches; export what is shown.
import {
  Button,
  FileButton,
  Group,
  Menu,
  MultiSelect,
  Overlay,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconSearch, IconTrash, IconUpload, IconUsers } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { FieldCondition } from '../../../../../shared/field-filter.ts';
import { pushServices } from '../../../../../shared/compose.ts';
import type {
  ImportFormat,
  Selection,
  SubscriptionFilter,
  SubscriptionSort,
  SubscriptionStatus,
} from '../../../../../shared/subscriptions.ts';
import type { Navigate } from '../../../app/navigation.ts';
import { FieldConditionsInput } from '../../../components/FieldConditionsInput.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useCurrentApp } from '../../apps/current-app.ts';
import { useEmptyTrash, useExportSubscriptions, useInterruptedBulkNotice } from '../mutations.ts';
import { subscriptionCountQuery, subscriptionFacetsQuery, useSubscriptionCount } from '../queries.ts';
import { useFileDrop } from '../use-file-drop.ts';
import { zoneFilterOptions, zoneFilterValue } from '../time-zone-filter.ts';
import { BulkActions } from './BulkActions.tsx';
import { ImportDialog, type ImportFile } from './ImportDialog.tsx';
import { SubscriptionDetail } from './SubscriptionDetail.tsx';
import { SubscriptionTable } from './SubscriptionTable.tsx';

const serviceLabels = {
  fcm: 'FCM (Chrome, Edge)',
  mozilla: 'Mozilla',
  apple: 'Apple',
  wns: 'Windows (WNS)',
  other: 'Other',
};

export function SubscriptionsPage({ onNavigate }: { onNavigate: Navigate }) {
  const { app } = useCurrentApp();
  if (!app) {
    return (
      <>
        <PageHeader
          title="Subscriptions"
          description="Import, browse, tag and export the subscribers of each app."
        />
        <EmptyState
          icon={<IconUsers size={28} />}
          title="No app yet"
          description="Subscriptions belong to an app and its VAPID key. Create an app under Keys, then import a JSON, NDJSON or CSV list."
          action={{ label: 'Create an app', onClick: () => onNavigate('keys') }}
        />
      </>
    );
  }
  return <SubscriptionList key={app.id} appId={app.id} appName={app.name} />;
}

function SubscriptionList({ appId, appName }: { appId: number; appName: string }) {
  useInterruptedBulkNotice(appId);
  const [searchText, setSearchText] = useState('');
  const [search] = useDebouncedValue(searchText.trim(), 250);
  const [tags, setTags] = useState<string[]>([]);
  const [fields, setFields] = useState<FieldCondition[]>([]);
  const [services, setServices] = useState<string[]>([]);
  const [zones, setZones] = useState<string[]>([]);
  const [status, setStatus] = useState<'all' | SubscriptionStatus>('all');
  const [inTrash, setInTrash] = useState(false);
  const [sort, setSort] = useState<SubscriptionSort>('newest');
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [detailId, setDetailId] = useState<number | null>(null);
  const [importFile, setImportFile] = useState<ImportFile | null>(null);

  const filter = useMemo<SubscriptionFilter>(
    () => ({
      search: search || undefined,
      tags: tags.length ? tags : undefined,
      pushServices: services.length ? (services as SubscriptionFilter['pushServices']) : undefined,
      status: status === 'all' ? undefined : status,
      deleted: inTrash || undefined,
      fields: fields.length ? fields : undefined,
      timeZones: zones.length ? zones.map(zoneFilterValue) : undefined,
    }),
    [search, tags, services, status, inTrash, fields, zones],
  );
  const count = useSubscriptionCount(appId, filter);
  const total = useQuery(subscriptionCountQuery(appId, {}));
  const facets = useQuery(subscriptionFacetsQuery(appId));
  const emptyTrash = useEmptyTrash(appId);

  const clearSelection = useCallback(() => {
    setPicked(new Set());
    setAllMatching(false);
  }, []);
  const filterKey = JSON.stringify(filter);
  const [selectionKey, setSelectionKey] = useState(filterKey);
  if (selectionKey !== filterKey) {
    // A new filter is a new list: what was selected in the old one no longer applies.
    setSelectionKey(filterKey);
    setPicked(new Set());
    setAllMatching(false);
  }

  const openFile = useCallback((file: File) => {
    const failed = (error: Error) =>
      notifications.show({ color: 'red', title: `Cannot read ${file.name}`, message: error.message });
    // The desktop app: main reads the file itself, and the window names it by the token main gave for it.
    // A plain browser has no path: the window reads the text.
    window.api
      .registerFile(file)
      .then(async (chosen) => {
        if (chosen) {
          setImportFile({
            fileName: chosen.name,
            size: chosen.size ?? file.size,
            source: { file: chosen.token },
          });
          return;
        }
        const text = await file.text();
        setImportFile({ fileName: file.name, size: text.length, source: { text, fileName: file.name } });
      })
      .catch(failed);
  }, []);
  const dragging = useFileDrop(openFile, importFile === null);

  const matching = count.data?.count ?? 0;
  const selection: Selection | null = allMatching
    ? { filter }
    : picked.size > 0
      ? { ids: [...picked] }
      : null;
  const selectedCount = allMatching ? matching : picked.size;
  // Stable for the table (memo): it renders again when the list or the selection changes, not at each
  // keystroke in the search box or when an export starts.
  const isSelected = useCallback((id: number) => allMatching || picked.has(id), [allMatching, picked]);
  const toggle = useCallback(
    (id: number) => {
      if (allMatching) return;
      setPicked((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
    },
    [allMatching],
  );
  const toggleAll = useCallback(
    () => (allMatching ? clearSelection() : setAllMatching(true)),
    [allMatching, clearSelection],
  );

  return (
    <>
      <PageHeader
        title="Subscriptions"
        description={`The subscribers of ${appName}. Drop a JSON, NDJSON or CSV file anywhere on the window to import it.`}
        actions={
          <>
            <FileButton
              onChange={(file) => file && openFile(file)}
              accept=".json,.ndjson,.jsonl,.csv,.txt,text/csv,application/json"
            >
              {(buttonProps) => (
                <Button {...buttonProps} leftSection={<IconUpload size={16} />}>
                  Import
                </Button>
              )}
            </FileButton>
            <ExportMenu appId={appId} filter={filter} matching={matching} />
          </>
        }
      />
      {total.data?.count === 0 && !inTrash && (facets.data?.trash ?? 0) === 0 ? (
        <EmptyState
          icon={<IconUsers size={28} />}
          title="No subscribers yet"
          description="Drop a file exported from your backend, OneSignal, Pushpad or a spreadsheet onto this window, or choose one with Import. JSON arrays of PushSubscription.toJSON(), NDJSON and CSV (endpoint, p256dh, auth) all work."
        />
      ) : (
        <Stack gap="sm">
          <Group gap="sm" align="flex-end">
            <TextInput
              aria-label="Search people"
              placeholder="Search name, field, tag, endpoint"
              leftSection={<IconSearch size={14} />}
              value={searchText}
              onChange={(event) => setSearchText(event.currentTarget.value)}
              w={260}
            />
            <FieldConditionsInput value={fields} onChange={setFields} w={220} />
            <MultiSelect
              aria-label="Filter by tag"
              placeholder={tags.length ? undefined : 'Any tag'}
              data={facets.data?.tags ?? []}
              value={tags}
              onChange={setTags}
              searchable
              clearable
              w={220}
            />
            <MultiSelect
              aria-label="Filter by push service"
              placeholder={services.length ? undefined : 'Any push service'}
              data={pushServices.map((value) => ({ value, label: serviceLabels[value] }))}
              value={services}
              onChange={setServices}
              clearable
              w={220}
            />
            <MultiSelect
              aria-label="Filter by time zone"
              placeholder={zones.length ? undefined : 'Any time zone'}
              data={zoneFilterOptions(facets.data?.timeZones ?? [])}
              value={zones}
              onChange={setZones}
              searchable
              clearable
              nothingFoundMessage="No subscription has that zone"
              w={220}
            />
            <SegmentedControl
              aria-label="Status"
              value={status}
              onChange={(value) => setStatus(value as 'all' | SubscriptionStatus)}
              data={[
                { value: 'all', label: 'All' },
                { value: 'active', label: 'Active' },
                { value: 'expired', label: 'Expired' },
              ]}
            />
          </Group>
          <Group justify="space-between" mih={30}>
            {selection ? (
              <BulkActions
                appId={appId}
                selection={selection}
                count={selectedCount}
                inTrash={inTrash}
                tags={facets.data?.tags ?? []}
                onDone={clearSelection}
              />
            ) : (
              <Title order={5} fw={500} data-testid="subscription-count">
                {count.data
                  ? `${matching.toLocaleString()}${count.data.capped ? '+' : ''} ${inTrash ? 'in the trash' : matching === 1 ? 'subscription' : 'subscriptions'}${
                      total.data && !inTrash && matching !== total.data.count
                        ? ` of ${total.data.count.toLocaleString()}`
                        : ''
                    }`
                  : 'Counting…'}
              </Title>
            )}
            <Group gap="xs">
              <Button
                variant={inTrash ? 'filled' : 'subtle'}
                color={inTrash ? 'red' : 'gray'}
                leftSection={<IconTrash size={16} />}
                onClick={() => setInTrash((t) => !t)}
                aria-pressed={inTrash}
              >
                Trash ({(facets.data?.trash ?? 0).toLocaleString()})
              </Button>
              {!allMatching && matching > 0 && (
                <Button size="xs" variant="subtle" onClick={() => setAllMatching(true)}>
                  Select all {matching.toLocaleString()}
                  {count.data?.capped ? '+' : ''}
                </Button>
              )}
              {selection && (
                <Button size="xs" variant="subtle" color="gray" onClick={clearSelection}>
                  Clear selection
                </Button>
              )}
              {inTrash && matching > 0 && !selection && (
                <Button
                  size="xs"
                  color="red"
                  variant="light"
                  loading={emptyTrash.isPending}
                  onClick={() =>
                    modals.openConfirmModal({
                      title: `Delete ${(facets.data?.trash ?? 0).toLocaleString()} subscriptions for good?`,
                      children: (
                        <Text size="sm">This cannot be undone. Their delivery history goes with them.</Text>
                      ),
                      labels: { confirm: 'Empty the trash', cancel: 'Cancel' },
                      confirmProps: { color: 'red' },
                      onConfirm: () => emptyTrash.mutate(),
                    })
                  }
                >
                  Empty trash
                </Button>
              )}
            </Group>
          </Group>
          <SubscriptionTable
            appId={appId}
            filter={filter}
            sort={sort}
            count={matching}
            onSort={setSort}
            isSelected={isSelected}
            onToggle={toggle}
            allSelected={allMatching}
            onToggleAll={toggleAll}
            onOpen={setDetailId}
          />
          {matching === 0 && count.data && (
            <Text c="dimmed" ta="center" size="sm">
              {inTrash ? 'The trash is empty.' : 'No subscription matches these filters.'}
            </Text>
          )}
        </Stack>
      )}
      <SubscriptionDetail appId={appId} id={detailId} onClose={() => setDetailId(null)} />
      {importFile && (
        <ImportDialog appId={appId} appName={appName} file={importFile} onClose={() => setImportFile(null)} />
      )}
      {dragging && (
        <Overlay fixed blur={2} center zIndex={400} data-testid="drop-overlay">
          <Stack align="center" gap={4} c="white">
            <IconUpload size={40} />
            <Title order={3} c="white">
              Drop to import into {appName}
            </Title>
            <Text c="white">JSON, NDJSON or CSV</Text>
          </Stack>
        </Overlay>
      )}
    </>
  );
}

/** The Export menu, with the export's own state: its start and end re-render this button, not the page. */
function ExportMenu({
  appId,
  filter,
  matching,
}: {
  appId: number;
  filter: SubscriptionFilter;
  matching: number;
}) {
  const exporter = useExportSubscriptions(appId);
  const exportAs = (format: ImportFormat) => exporter.mutate({ filter, format });
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          loading={exporter.isPending}
          disabled={matching === 0}
        >
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{`${matching.toLocaleString()} shown subscriptions as`}</Menu.Label>
        <Menu.Item onClick={() => exportAs('csv')}>CSV</Menu.Item>
        <Menu.Item onClick={() => exportAs('json')}>JSON array</Menu.Item>
        <Menu.Item onClick={() => exportAs('ndjson')}>NDJSON</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
