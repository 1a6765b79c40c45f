// The journal of one campaign, a page at a time: failures with the service's reason and body excerpt, the
// subscriptions this campaign found expired, those skipped (frequency cap, quiet hours), or every delivery;
// with each one's time zone and release for a local-time campaign.
import { Button, Card, Code, Group, Loader, Table, Tabs, Text, Tooltip } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CampaignDetail, DeliveryRecord, DeliveryState } from '../../../../../shared/campaigns.ts';
import { formatCount, formatDateTime, formatMs } from '../format.ts';
import { deliveriesQuery } from '../queries.ts';

const views = {
  failures: { label: 'Failures', states: ['failed', 'uncertain'] },
  expired: { label: 'Expired subscriptions', states: ['expired'] },
  skipped: { label: 'Skipped', states: ['skipped'] },
  all: { label: 'All deliveries', states: [] },
} as const satisfies Record<string, { label: string; states: readonly DeliveryState[] }>;
type View = keyof typeof views;

const stateColors: Record<DeliveryState, string> = {
  pending: 'dimmed',
  in_flight: 'blue',
  sent: 'teal',
  failed: 'red',
  expired: 'dimmed',
  retrying: 'yellow.8',
  uncertain: 'orange',
  skipped: 'violet.7',
};

function DeliveryRow({ d, zoned }: { d: DeliveryRecord; zoned: boolean }) {
  return (
    <Table.Tr>
      <Table.Td maw={280}>
        <Tooltip label={d.endpoint} multiline maw={520} openDelay={400}>
          <Text size="xs" ff="monospace" truncate="end">
            {d.endpoint}
          </Text>
        </Tooltip>
        {d.label && (
          <Text size="xs" c="dimmed">
            {d.label}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{d.pushService}</Text>
      </Table.Td>
      {zoned && (
        <>
          <Table.Td>
            <Text size="sm">{d.timeZone ?? '—'}</Text>
          </Table.Td>
          <Table.Td>
            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
              {formatDateTime(d.releaseAt)}
            </Text>
          </Table.Td>
        </>
      )}
      <Table.Td>
        <Text size="sm" fw={600} c={stateColors[d.state]} style={{ whiteSpace: 'nowrap' }}>
          {d.state.replace('_', ' ')}
        </Text>
      </Table.Td>
      <Table.Td>{d.httpStatus ?? '—'}</Table.Td>
      <Table.Td>
        <Text size="sm">{d.reason ?? ''}</Text>
      </Table.Td>
      <Table.Td maw={260}>
        {d.bodyExcerpt && (
          <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', maxHeight: 64, overflow: 'hidden' }}>
            {d.bodyExcerpt}
          </Code>
        )}
      </Table.Td>
      <Table.Td ta="right">{d.attempts}</Table.Td>
      <Table.Td ta="right">{formatMs(d.latencyMs)}</Table.Td>
    </Table.Tr>
  );
}

function DeliveryList(props: { id: number; states: readonly DeliveryState[]; zoned: boolean }) {
  const { id, states, zoned } = props;
  const query = useInfiniteQuery(deliveriesQuery(id, states));
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  if (query.isPending) return <Loader aria-label="Loading" m="md" />;
  if (query.error) return <Text c="red">{query.error.message}</Text>;
  if (rows.length === 0) {
    return (
      <Text c="dimmed" p="md">
        Nothing here.
      </Text>
    );
  }
  return (
    <>
      <Table.ScrollContainer minWidth={960}>
        <Table striped verticalSpacing="xs" aria-label="Deliveries" data-testid="deliveries-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Subscription</Table.Th>
              <Table.Th>Service</Table.Th>
              {zoned && (
                <>
                  <Table.Th>Time zone</Table.Th>
                  <Table.Th>Released</Table.Th>
                </>
              )}
              <Table.Th>State</Table.Th>
              <Table.Th>HTTP</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Answer</Table.Th>
              <Table.Th ta="right">Attempts</Table.Th>
              <Table.Th ta="right">Latency</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((d) => (
              <DeliveryRow key={d.subscriptionId} d={d} zoned={zoned} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {query.hasNextPage && (
        <Group justify="center" p="sm">
          <Button
            variant="default"
            size="xs"
            loading={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            Show more
          </Button>
        </Group>
      )}
    </>
  );
}

export function DeliveriesTable({ detail }: { detail: CampaignDetail }) {
  const [chosen, setChosen] = useState<View | null>(null);
  // Until the user picks a tab, show the failures as soon as there are any.
  const view: View = chosen ?? (detail.totals.failed + detail.totals.uncertain > 0 ? 'failures' : 'all');
  const counts: Record<View, number> = {
    failures: detail.totals.failed + detail.totals.uncertain,
    expired: detail.totals.expired,
    skipped: detail.totals.skipped,
    all: detail.totals.recipients,
  };
  // The Skipped tab only where the frequency cap or quiet hours applied.
  const shown = (Object.keys(views) as View[]).filter((v) => v !== 'skipped' || detail.timing !== null);
  const zoned = detail.timing?.timing.localTime != null;
  return (
    <Card withBorder padding={0} mb="lg">
      <Tabs value={view} onChange={(v) => v && setChosen(v as View)} keepMounted={false}>
        <Tabs.List px="sm">
          {shown.map((v) => (
            <Tabs.Tab key={v} value={v}>
              {views[v].label} ({formatCount(counts[v])})
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {shown.map((v) => (
          <Tabs.Panel key={v} value={v}>
            <DeliveryList id={detail.id} states={views[v].states} zoned={zoned} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Card>
  );
}
