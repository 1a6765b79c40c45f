// Every campaign with its state, counts and dates: searchable, filterable by state and app; open,
// duplicate as a new draft, delete a draft. Interrupted campaigns are called out at the top.
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Loader,
  Menu,
  Select,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconAlertTriangle,
  IconCopy,
  IconDots,
  IconLifebuoy,
  IconSearch,
  IconSpeakerphone,
  IconTrash,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { campaignStates, type CampaignState, type CampaignSummary } from '../../../../../shared/campaigns.ts';
import type { Navigate } from '../../../app/navigation.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { SupportAlertDrawer } from '../../alerts/components/SupportAlertDrawer.tsx';
import { formatCount, formatDateTime, formatStartTime } from '../format.ts';
import { useCampaignAction, useDeleteDraft, useDuplicateCampaign } from '../mutations.ts';
import { useCurrentApp } from '../../apps/current-app.ts';
import { appListQuery } from '../../apps/queries.ts';
import { campaignListQuery } from '../queries.ts';
import { CampaignStateBadge } from './CampaignStateBadge.tsx';
import { confirmDeleteDraft } from './confirm-delete-draft.tsx';
import { TotalsHeads } from './TotalsHeads.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';

function when(c: CampaignSummary): string {
  if (c.state === 'scheduled') return `Scheduled ${formatStartTime(c.scheduledAt)}`;
  if (c.finishedAt !== null) return `Finished ${formatDateTime(c.finishedAt)}`;
  if (c.startedAt !== null) return `Started ${formatDateTime(c.startedAt)}`;
  return `Created ${formatDateTime(c.createdAt)}`;
}

function InterruptedAlert({ campaign, onOpen }: { campaign: CampaignSummary; onOpen: () => void }) {
  const resume = useCampaignAction('campaigns.resume', campaign.id);
  return (
    <Alert
      color="orange"
      icon={<IconAlertTriangle />}
      title={`"${campaign.name}" was interrupted`}
      mb="sm"
      data-testid="interrupted-alert"
    >
      <Text size="sm" mb="xs">
        Pushdeck stopped while sending it. {formatCount(campaign.totals.pending)} recipients have not been
        sent to yet; resuming sends to them only.
        {campaign.totals.inFlight + campaign.totals.uncertain > 0 &&
          ` ${formatCount(campaign.totals.inFlight + campaign.totals.uncertain)} requests were on the wire: whether they arrived is unknown, and they are not re-sent.`}
      </Text>
      <Group gap="xs">
        <Button size="xs" color="orange" loading={resume.isPending} onClick={() => resume.mutate({})}>
          Resume
        </Button>
        <Button size="xs" variant="default" onClick={onOpen}>
          Open
        </Button>
      </Group>
    </Alert>
  );
}

function RowMenu({ campaign, onOpen }: { campaign: CampaignSummary; onOpen: (id: number) => void }) {
  const duplicate = useDuplicateCampaign();
  const remove = useDeleteDraft();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label={`Actions for ${campaign.name}`}
          onClick={(e) => e.stopPropagation()}
        >
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown onClick={(e) => e.stopPropagation()}>
        <Menu.Item
          leftSection={<IconCopy size={14} />}
          onClick={() => duplicate.mutate(campaign.id, { onSuccess: (draft) => onOpen(draft.id) })}
        >
          Duplicate as draft
        </Menu.Item>
        {campaign.state === 'draft' && (
          <Menu.Item
            color="red"
            leftSection={<IconTrash size={14} />}
            onClick={() => confirmDeleteDraft(campaign.name, () => remove.mutate(campaign.id))}
          >
            Delete draft
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

export function CampaignHistory(props: { onOpen: (id: number) => void; onNavigate: Navigate }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 200);
  const [state, setState] = useState<CampaignState | undefined>();
  // The app chosen in the sidebar until the user picks another here, or clears it for every app.
  const current = useCurrentApp();
  const [appChoice, setAppChoice] = useState<number | null | undefined>(undefined);
  const appId = appChoice === undefined ? current.app?.id : (appChoice ?? undefined);
  const [supportOpen, setSupportOpen] = useState(false);
  const apps = useQuery(appListQuery());
  const list = useQuery(campaignListQuery({ search: debounced || undefined, state, appId }));
  const all = useQuery(campaignListQuery({}));
  const interrupted = (all.data ?? []).filter((c) => c.interrupted);
  const filtered = Boolean(debounced || state || appChoice !== undefined);

  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Every notification you have sent, with its delivery results."
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconLifebuoy size={16} />}
              onClick={() => setSupportOpen(true)}
            >
              One-off alert
            </Button>
            <Button onClick={() => props.onNavigate('compose')}>New campaign</Button>
          </>
        }
      />
      <SupportAlertDrawer opened={supportOpen} onClose={() => setSupportOpen(false)} />
      {interrupted.map((c) => (
        <InterruptedAlert key={c.id} campaign={c} onOpen={() => props.onOpen(c.id)} />
      ))}
      <ErrorAlert error={list.error} title="Could not read the campaigns" />
      {all.data?.length === 0 && !filtered ? (
        <EmptyState
          icon={<IconSpeakerphone size={28} />}
          title="No campaigns yet"
          description="Create an app and its VAPID keys under Keys, import your subscribers, then compose your first notification."
          action={{ label: 'Set up keys', onClick: () => props.onNavigate('keys') }}
        />
      ) : (
        <>
          <Group mb="md" gap="sm" align="flex-end">
            <TextInput
              label="Search"
              placeholder="Campaign name"
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={280}
            />
            <Select
              label="State"
              placeholder="Any state"
              clearable
              data={[...campaignStates]}
              value={state ?? null}
              onChange={(v) => setState((v as CampaignState | null) ?? undefined)}
              w={180}
            />
            <Select
              label="App"
              placeholder="All apps"
              clearable
              data={(apps.data ?? []).map((a) => ({ value: String(a.id), label: a.name }))}
              value={appId !== undefined ? String(appId) : null}
              onChange={(v) => setAppChoice(v ? Number(v) : null)}
              w={220}
            />
            {list.isFetching && <Loader size="sm" aria-label="Loading" />}
          </Group>
          {list.data && list.data.length === 0 && (
            <Text c="dimmed" py="xl" ta="center">
              {filtered
                ? 'No campaign matches these filters.'
                : `No campaign for ${current.app?.name ?? 'this app'} yet.`}
            </Text>
          )}
          {list.data && list.data.length > 0 && (
            <Card withBorder padding={0}>
              <Table.ScrollContainer minWidth={860}>
                <Table highlightOnHover aria-label="Campaign history" verticalSpacing="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Campaign</Table.Th>
                      <Table.Th>State</Table.Th>
                      <TotalsHeads />
                      <Table.Th>When</Table.Th>
                      <Table.Th w={40} />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.data.map((c) => (
                      <Table.Tr key={c.id} style={{ cursor: 'pointer' }} onClick={() => props.onOpen(c.id)}>
                        <Table.Td>
                          {/* A real link: reachable with Tab, opened with Enter; the row is a larger target for the mouse. */}
                          <Anchor
                            href={`#/campaigns/${c.id}`}
                            fw={500}
                            c="inherit"
                            onClick={(e) => e.stopPropagation()}
                          >
                            {c.name}
                          </Anchor>
                          <Text size="xs" c="dimmed">
                            {c.appName}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <CampaignStateBadge state={c.state} interrupted={c.interrupted} />
                        </Table.Td>
                        <Table.Td ta="right">{formatCount(c.totals.recipients)}</Table.Td>
                        <Table.Td ta="right">{formatCount(c.totals.delivered)}</Table.Td>
                        <Table.Td ta="right">{formatCount(c.totals.expired)}</Table.Td>
                        <Table.Td ta="right">{formatCount(c.totals.failed)}</Table.Td>
                        <Table.Td>
                          <Text size="sm">{when(c)}</Text>
                        </Table.Td>
                        <Table.Td>
                          <RowMenu campaign={c} onOpen={props.onOpen} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          )}
        </>
      )}
    </>
  );
}
