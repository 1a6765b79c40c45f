// A local-time campaign's zones: when each is released (their time and the user's), whether it is waiting,
// sending or done, its counts, who quiet hours held or skipped, and the ETA of the last zone.
import { Badge, Card, Group, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { CampaignDetail } from '../../../../../shared/campaigns.ts';
import type { ZoneProgress } from '../../../../../shared/delivery-time.ts';
import { formatCount, formatFromNow, formatStartTime, userTimeZone } from '../format.ts';
import { campaignDetailQuery } from '../queries.ts';
import { ZoneReleaseCells } from './ZoneReleaseCells.tsx';

const statusColors: Record<ZoneProgress['status'], string> = {
  waiting: 'dimmed',
  sending: 'blue',
  done: 'teal',
};

export function ZoneProgressPanel({ detail }: { detail: CampaignDetail }) {
  const summary = detail.timing;
  const running = summary !== null && summary.zones.some((z) => z.status !== 'done');
  // Zones change state as the runner releases them; while any is left, read the counts every few seconds.
  useQuery({ ...campaignDetailQuery(detail.id), refetchInterval: running ? 3000 : false });
  if (!summary?.timing.localTime) return null;
  const { zones, lastZoneEta, nextReleaseAt } = summary;
  const local = summary.timing.localTime;
  const by = (status: ZoneProgress['status']) => zones.filter((z) => z.status === status).length;
  return (
    <Card withBorder padding="lg" mb="lg" aria-label="Time zones" data-testid="zone-progress">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Stack gap={2}>
          <Title order={4}>Time zones</Title>
          <Text size="sm" c="dimmed">
            {local.time} in each subscriber&apos;s time zone on {local.date}; zones already past it:{' '}
            {local.pastZones === 'now' ? 'sent at once' : 'the next day'}.
          </Text>
        </Stack>
        <Group gap="xs">
          <Badge color="teal" variant="light" tt="none" data-testid="zones-done">
            {by('done')} done
          </Badge>
          <Badge color="blue" variant="light" tt="none" data-testid="zones-sending">
            {by('sending')} sending
          </Badge>
          <Badge color="gray" variant="light" tt="none" data-testid="zones-waiting">
            {by('waiting')} waiting
          </Badge>
        </Group>
      </Group>
      <Text size="sm" mb="sm" data-testid="zone-eta">
        {lastZoneEta === null
          ? 'Every zone has been released.'
          : `Next zone ${nextReleaseAt === null ? '—' : formatStartTime(nextReleaseAt)}; the last zone ${formatStartTime(lastZoneEta)} (${formatFromNow(lastZoneEta)}), your time (${userTimeZone()}).`}
      </Text>
      <ScrollArea.Autosize mah={360} type="auto">
        <Table verticalSpacing={2} fz="sm" stickyHeader striped aria-label="Progress per time zone">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time zone</Table.Th>
              <Table.Th>Their time</Table.Th>
              <Table.Th>Your time</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th ta="right">Recipients</Table.Th>
              <Table.Th ta="right">Delivered</Table.Th>
              <Table.Th ta="right">Skipped</Table.Th>
              <Table.Th ta="right">Failed</Table.Th>
              <Table.Th ta="right">Left</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {zones.map((z) => (
              <Table.Tr key={z.timeZone} data-zone={z.timeZone} data-status={z.status}>
                <Table.Td>{z.timeZone}</Table.Td>
                <ZoneReleaseCells zone={z} />
                <Table.Td>
                  <Text size="sm" fw={600} c={statusColors[z.status]}>
                    {z.status}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{formatCount(z.recipients)}</Table.Td>
                <Table.Td ta="right">{formatCount(z.delivered)}</Table.Td>
                <Table.Td ta="right">{formatCount(z.skipped)}</Table.Td>
                <Table.Td ta="right">{formatCount(z.failed + z.expired)}</Table.Td>
                <Table.Td ta="right">{formatCount(z.pending)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Card>
  );
}
