// One campaign: what it sends and to whom, its launch pad while a draft, its live progress while it runs,
// and its results afterwards (with retry of the failed ones, export and duplicate).
import { Alert, Anchor, Button, Card, Group, Loader, Menu, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import {
  IconArrowLeft,
  IconChevronDown,
  IconCopy,
  IconDownload,
  IconRefresh,
  IconTrash,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { CampaignDetail } from '../../../../../shared/campaigns.ts';
import { formatCount, formatDateTime } from '../format.ts';
import { useCampaignAction, useDeleteDraft, useDuplicateCampaign, useExportResults } from '../mutations.ts';
import { campaignDetailQuery } from '../queries.ts';
import { CampaignStateBadge } from './CampaignStateBadge.tsx';
import { confirmDeleteDraft } from './confirm-delete-draft.tsx';
import { DeliveriesTable } from './DeliveriesTable.tsx';
import { ProgressPanel } from './ProgressPanel.tsx';
import { ResultsPanel } from './ResultsPanel.tsx';
import { SendPanel } from './SendPanel.tsx';
import { VariantResults } from './VariantResults.tsx';
import { ZoneProgressPanel } from './ZoneProgressPanel.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';

function MessageSummary({ detail }: { detail: CampaignDetail }) {
  const n = detail.message.notification;
  return (
    <Card withBorder padding="lg" mb="lg">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
        Message ({detail.message.format})
      </Text>
      {n ? (
        <>
          <Text fw={600}>{n.title}</Text>
          {n.body && <Text size="sm">{n.body}</Text>}
          {n.url && (
            <Text size="xs" c="dimmed">
              Opens {n.url}
            </Text>
          )}
        </>
      ) : (
        <Text size="sm" ff="monospace" lineClamp={3}>
          {detail.message.raw ?? '(no payload)'}
        </Text>
      )}
    </Card>
  );
}

function ResultActions({ detail }: { detail: CampaignDetail }) {
  const retry = useCampaignAction('campaigns.retryFailed', detail.id);
  const exportResults = useExportResults(detail.id);
  const retryable = detail.totals.failed;
  const finished = detail.state === 'completed' || detail.state === 'cancelled';

  return (
    <>
      {finished && retryable > 0 && (
        <Button
          variant="light"
          leftSection={<IconRefresh size={16} />}
          loading={retry.isPending}
          onClick={() =>
            modals.openConfirmModal({
              title: 'Retry the failed deliveries?',
              children: (
                <Text size="sm">
                  Sends again to the {formatCount(retryable)} failed deliveries only. Delivered and expired
                  ones are left alone.
                </Text>
              ),
              labels: { confirm: `Retry ${formatCount(retryable)}`, cancel: 'Not now' },
              onConfirm: () => retry.mutate({}),
            })
          }
        >
          Retry failed only
        </Button>
      )}
      <Menu position="bottom-end">
        <Menu.Target>
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            rightSection={<IconChevronDown size={14} />}
            loading={exportResults.isPending}
          >
            Export results
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => exportResults.mutate('csv')}>CSV (one row per delivery)</Menu.Item>
          <Menu.Item onClick={() => exportResults.mutate('json')}>JSON (summary and deliveries)</Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </>
  );
}

export function CampaignDetailView({ id, onOpen }: { id: number; onOpen: (id: number | null) => void }) {
  const query = useQuery(campaignDetailQuery(id));
  const duplicate = useDuplicateCampaign();
  const remove = useDeleteDraft();
  const detail = query.data;
  // A local-time campaign waits as 'scheduled' between its zones' releases, once it has started.
  const launched =
    detail && detail.state !== 'draft' && !(detail.state === 'scheduled' && detail.startedAt === null);

  return (
    <>
      <Anchor
        component="button"
        size="sm"
        mb="sm"
        onClick={() => onOpen(null)}
        style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}
      >
        <IconArrowLeft size={14} /> All campaigns
      </Anchor>
      {query.isPending && <Loader aria-label="Loading" />}
      <ErrorAlert error={query.error} title="Could not open this campaign" />
      {detail && (
        <>
          <Group justify="space-between" align="flex-start" mb="lg">
            <Stack gap={4}>
              <Group gap="sm">
                <Title order={2}>{detail.name}</Title>
                <CampaignStateBadge
                  state={detail.state}
                  interrupted={detail.interrupted}
                  testId="campaign-state"
                />
              </Group>
              <Text c="dimmed" size="sm">
                {detail.appName} · created {formatDateTime(detail.createdAt)}
                {detail.startedAt !== null && ` · started ${formatDateTime(detail.startedAt)}`}
                {detail.finishedAt !== null && ` · finished ${formatDateTime(detail.finishedAt)}`}
              </Text>
            </Stack>
            <Group gap="sm">
              {launched && <ResultActions detail={detail} />}
              <Button
                variant="default"
                leftSection={<IconCopy size={16} />}
                loading={duplicate.isPending}
                onClick={() => duplicate.mutate(detail.id, { onSuccess: (draft) => onOpen(draft.id) })}
              >
                Duplicate as draft
              </Button>
              {detail.state === 'draft' && (
                <Button
                  variant="light"
                  color="red"
                  leftSection={<IconTrash size={16} />}
                  onClick={() =>
                    confirmDeleteDraft(detail.name, () =>
                      remove.mutate(detail.id, { onSuccess: () => onOpen(null) }),
                    )
                  }
                >
                  Delete draft
                </Button>
              )}
            </Group>
          </Group>
          {detail.lastError && (
            <Alert
              color="red"
              title={
                detail.lastError.startsWith('Paused sending to')
                  ? 'A push service refused this campaign: sending to it is paused'
                  : 'The sender stopped with an error'
              }
              mb="lg"
            >
              {detail.lastError}
            </Alert>
          )}
          <MessageSummary detail={detail} />
          {!launched && <SendPanel detail={detail} onOpen={onOpen} />}
          {launched && <ProgressPanel detail={detail} />}
          {launched && <ZoneProgressPanel detail={detail} />}
          {launched && <VariantResults detail={detail} />}
          {/* While it sends, the live counts above say it all; the breakdowns come when it stops. */}
          {launched && !(detail.state === 'sending' && !detail.interrupted) && (
            <>
              <ResultsPanel detail={detail} />
              <DeliveriesTable detail={detail} />
            </>
          )}
        </>
      )}
    </>
  );
}
