// What a dry run found: who would receive the campaign, the largest payload, warnings and refusals.
import { Alert, Badge, Button, Group, List, Stack, Table, Text } from '@mantine/core';
import type { DryRunReport } from '../../../../../shared/campaigns.ts';
import { formatCount } from '../format.ts';

export function DryRunResult({
  report,
  onEncryptAll,
}: {
  report: DryRunReport;
  /** Runs it again encrypting every message; absent when this run did. */
  onEncryptAll?: () => void;
}) {
  return (
    <Stack gap="sm" data-testid="dry-run-report">
      <Text>
        {report.cancelled ? 'Stopped after checking ' : 'Would send to '}
        <b>{formatCount(report.recipients)}</b> subscriptions; nothing was sent. Largest payload:{' '}
        {formatCount(report.largestPayloadBytes)} bytes.
      </Text>
      <Text size="sm" c="dimmed">
        Every endpoint, key and payload checked;{' '}
        {report.encrypted === report.recipients
          ? 'every message encrypted.'
          : `${formatCount(report.encrypted)} messages encrypted as a sample.`}
      </Text>
      {onEncryptAll && (
        <Group>
          <Button size="xs" variant="default" onClick={onEncryptAll}>
            Encrypt every message too
          </Button>
        </Group>
      )}
      <Group gap="xs">
        {Object.entries(report.byPushService).map(([service, n]) => (
          <Badge key={service} variant="light">
            {service}: {formatCount(n)}
          </Badge>
        ))}
      </Group>
      {report.warnings.length > 0 && (
        <Alert color="yellow" title="Warnings">
          <List size="sm">
            {report.warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {report.rejects.length > 0 && (
        <Alert color="red" title={`${formatCount(report.refused)} would be refused`}>
          <Table fz="xs">
            <Table.Tbody>
              {report.rejects.slice(0, 20).map((r) => (
                <Table.Tr key={r.subscriptionId}>
                  <Table.Td ff="monospace">{r.endpoint}</Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Alert>
      )}
    </Stack>
  );
}
