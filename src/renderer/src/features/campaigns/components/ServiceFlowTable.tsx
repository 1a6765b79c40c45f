// While a campaign sends: each push service's adaptive in-flight limit, latency, rate, and why it is
// holding back (backing off after a 429, latency above its floor, pushed back earlier, at the cap).
import { Table, Text } from '@mantine/core';
import type { ServiceProgress } from '../../../../../shared/campaigns.ts';
import { formatCount, formatMs, pushServiceNames } from '../format.ts';

export function ServiceFlowTable({ services }: { services: ServiceProgress[] }) {
  return (
    <Table verticalSpacing={2} mt="md" data-testid="service-flow" aria-label="Sending per push service">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Push service</Table.Th>
          <Table.Th ta="right">In flight</Table.Th>
          <Table.Th ta="right">Limit</Table.Th>
          <Table.Th ta="right">Latency</Table.Th>
          <Table.Th ta="right">Rate</Table.Th>
          <Table.Th>Holding back</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {services.map((s) => (
          <Table.Tr key={s.origin} data-key={s.origin}>
            <Table.Td>
              {s.pushService === 'other'
                ? s.origin.replace(/^https?:\/\//, '')
                : pushServiceNames[s.pushService]}
            </Table.Td>
            <Table.Td ta="right">{formatCount(s.inFlight)}</Table.Td>
            <Table.Td ta="right" data-col="limit">
              {formatCount(s.limit)}
            </Table.Td>
            <Table.Td ta="right">
              {formatMs(s.latencyMs)}
              {s.floorMs !== null && (
                <Text span size="xs" c="dimmed">
                  {' '}
                  (floor {formatMs(s.floorMs)})
                </Text>
              )}
            </Table.Td>
            <Table.Td ta="right">{formatCount(Math.round(s.rate))}/s</Table.Td>
            <Table.Td data-col="hold-back">
              <Text size="sm" c={s.holdBack?.startsWith('backing off') ? 'orange' : 'dimmed'}>
                {s.holdBack ?? '—'}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
