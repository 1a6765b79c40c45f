// A campaign's outcome at a glance: by class, by HTTP status and by push service as charts (with the
// numbers beside them), the reasons of failures, and latency percentiles.
import { BarChart, DonutChart } from '@mantine/charts';
import { Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { CampaignDetail } from '../../../../../shared/campaigns.ts';
import { formatCount, formatMs, pushServiceNames } from '../format.ts';
import { CountLegend } from './CountLegend.tsx';
import { HeldSkippedCard, SKIP_REASONS } from './HeldSkippedCard.tsx';
import { TotalsHeads } from './TotalsHeads.tsx';

const outcomeColors: Record<string, string> = {
  delivered: 'teal.6',
  expired: 'gray.6',
  rejected: 'red.6',
  auth: 'grape.6',
  throttled: 'yellow.6',
  transient: 'orange.6',
  unreachable: 'pink.6',
  'not-sent': 'gray.4',
};

/** The class an HTTP status belongs to, which colours its bar. */
function statusClass(status: string): 'success' | 'gone' | 'refused' | 'server' | 'none' {
  if (/^2/.test(status)) return 'success';
  if (status === '404' || status === '410') return 'gone';
  if (/^4/.test(status)) return 'refused';
  if (/^5/.test(status)) return 'server';
  return 'none';
}

const statusSeries = [
  { name: 'success', label: '2xx', color: 'teal.6' },
  { name: 'gone', label: '404/410', color: 'gray.6' },
  { name: 'refused', label: '4xx', color: 'red.6' },
  { name: 'server', label: '5xx', color: 'orange.6' },
  { name: 'none', label: 'no answer', color: 'gray.4' },
];

function ResultCard(props: { title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg">
      <Title order={5} mb="sm">
        {props.title}
      </Title>
      {props.children}
    </Card>
  );
}

function sortedEntries(record: Record<string, number>): [string, number][] {
  return Object.entries(record).sort((a, b) => b[1] - a[1]);
}

export function ResultsPanel({ detail }: { detail: CampaignDetail }) {
  const total = detail.totals.recipients;
  const outcomes = sortedEntries(detail.byOutcome);
  const statuses = Object.entries(detail.byStatus).sort((a, b) => a[0].localeCompare(b[0]));
  const services = Object.entries(detail.byPushService);
  const reasons = sortedEntries(detail.byReason);
  // Skips are not failures: they have their own card.
  const failureReasons = reasons.filter(([reason]) => !(SKIP_REASONS as readonly string[]).includes(reason));
  const latency = detail.latencyMs;

  return (
    <Stack gap="lg" mb="lg">
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
        <ResultCard title="By result">
          <Group align="center" wrap="nowrap" gap="md">
            <DonutChart
              size={110}
              thickness={22}
              // One class alone would show the separator stroke as a hairline gap.
              strokeWidth={outcomes.length > 1 ? 1 : 0}
              withTooltip={false}
              data={outcomes.map(([name, value]) => ({
                name,
                value,
                color: outcomeColors[name] ?? 'gray.5',
              }))}
              aria-label="Deliveries by result"
            />
            <CountLegend rows={outcomes} testId="by-outcome" />
          </Group>
        </ResultCard>
        <ResultCard title="By HTTP status">
          <BarChart
            h={130}
            data={statuses.map(([status, count]) => ({ status, [statusClass(status)]: count }))}
            dataKey="status"
            type="stacked"
            series={statusSeries}
            withTooltip={false}
            gridAxis="none"
            aria-label="Deliveries by HTTP status"
          />
          <CountLegend rows={statuses} total={total} testId="by-status" />
        </ResultCard>
        <ResultCard title="Latency">
          <SimpleGrid cols={2} spacing="xs" data-testid="latency">
            {(['p50', 'p90', 'p99', 'max'] as const).map((k) => (
              <Stack key={k} gap={0}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {k}
                </Text>
                <Text fw={700}>{formatMs(latency[k])}</Text>
              </Stack>
            ))}
          </SimpleGrid>
          <Text size="sm" c="dimmed" mt="md">
            {detail.expiredSubscriptions === 1
              ? '1 subscription was'
              : `${formatCount(detail.expiredSubscriptions)} subscriptions were`}{' '}
            marked expired by this campaign: later audiences leave them out.
          </Text>
        </ResultCard>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <ResultCard title="By push service">
          <BarChart
            h={60 + services.length * 40}
            orientation="vertical"
            type="stacked"
            data={services.map(([service, t]) => ({
              service: pushServiceNames[service] ?? service,
              delivered: t.delivered,
              expired: t.expired,
              failed: t.failed,
              other: t.pending + t.retrying + t.inFlight + t.uncertain,
            }))}
            dataKey="service"
            series={[
              { name: 'delivered', color: 'teal.6' },
              { name: 'expired', color: 'gray.6' },
              { name: 'failed', color: 'red.6' },
              { name: 'other', label: 'pending or uncertain', color: 'yellow.5' },
            ]}
            withLegend
            withTooltip={false}
            gridAxis="none"
            yAxisProps={{ width: 70 }}
            aria-label="Deliveries by push service"
          />
          <Table verticalSpacing={2} mt="sm" data-testid="by-service">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Service</Table.Th>
                <TotalsHeads />
                <Table.Th ta="right">Latency p50 / p99</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {services.map(([service, t]) => (
                <Table.Tr key={service} data-key={service}>
                  <Table.Td>{pushServiceNames[service] ?? service}</Table.Td>
                  <Table.Td ta="right">{formatCount(t.recipients)}</Table.Td>
                  {(['delivered', 'expired', 'failed'] as const).map((col) => (
                    <Table.Td key={col} ta="right" data-col={col}>
                      {formatCount(t[col])}
                    </Table.Td>
                  ))}
                  <Table.Td ta="right" data-col="latency" style={{ whiteSpace: 'nowrap' }}>
                    {formatMs(detail.latencyByPushService[service]?.p50 ?? null)} /{' '}
                    {formatMs(detail.latencyByPushService[service]?.p99 ?? null)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ResultCard>
        <ResultCard title="Reasons">
          {failureReasons.length === 0 ? (
            <Text size="sm" c="dimmed">
              No failures: every answer was a success.
            </Text>
          ) : (
            <CountLegend rows={failureReasons} total={total} testId="by-reason" />
          )}
        </ResultCard>
      </SimpleGrid>
      <HeldSkippedCard detail={detail} />
    </Stack>
  );
}
