// One subscription in a side drawer: where it sends, its time zone (editable), keys, tags, custom fields
// and last result.
import { Badge, Code, Drawer, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { subscriptionDetailQuery } from '../queries.ts';
import { TimeZoneField } from './TimeZoneField.tsx';
import { TableHead } from '../../../components/TableHead.tsx';

function when(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toLocaleString();
}

function Field(props: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={150} fw={600} fz="xs" c="dimmed">
        {props.label}
      </Table.Th>
      <Table.Td fz="sm" style={{ wordBreak: 'break-all' }}>
        {props.children}
      </Table.Td>
    </Table.Tr>
  );
}

export function SubscriptionDetail(props: { appId: number; id: number | null; onClose: () => void }) {
  const detail = useQuery({
    ...subscriptionDetailQuery(props.appId, props.id ?? 0),
    enabled: props.id !== null,
  });
  const d = detail.data;
  return (
    <Drawer
      opened={props.id !== null}
      onClose={props.onClose}
      position="right"
      size="lg"
      title="Subscription"
    >
      {detail.isPending && <Loader size="sm" />}
      {detail.error && <Text c="red">{detail.error.message}</Text>}
      {d && (
        <Stack>
          <Code
            block
            data-testid="detail-endpoint"
            style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
          >
            {d.endpoint}
          </Code>
          <Group gap="xs">
            <Badge variant="dot" color={d.status === 'active' ? 'teal' : 'gray'} tt="none">
              {d.status}
            </Badge>
            {d.deletedAt !== null && (
              <Badge color="red" variant="light" tt="none">
                in the trash since {when(d.deletedAt)}
              </Badge>
            )}
            {d.tags.map((tag) => (
              <Badge key={tag} variant="light" tt="none">
                {tag}
              </Badge>
            ))}
          </Group>
          <TimeZoneField key={`${d.id}:${d.timeZone}`} appId={props.appId} id={d.id} timeZone={d.timeZone} />
          <Table withRowBorders={false} verticalSpacing={4}>
            <Table.Tbody>
              <Field label="Label">{d.label ?? '—'}</Field>
              <Field label="Push service">{d.pushService}</Field>
              <Field label="Created">{when(d.createdAt)}</Field>
              <Field label="Updated">{when(d.updatedAt)}</Field>
              <Field label="Expires">{when(d.expirationTime)}</Field>
              {(['p256dh', 'auth'] as const).map((key) => (
                <Field key={key} label={key}>
                  <Text ff="monospace" fz="xs">
                    {d[key]}
                  </Text>
                </Field>
              ))}
              <Field label="VAPID key id">{d.keyId ?? '—'}</Field>
              <Field label="Last attempt">{when(d.lastAttemptAt)}</Field>
              <Field label="Last result">
                {d.lastStatus === null ? '—' : `${d.lastStatus} ${d.lastReason ?? ''}`}
              </Field>
              <Field label="Last success">{when(d.lastSuccessAt)}</Field>
              <Field label="Failures in a row">{d.failureCount}</Field>
            </Table.Tbody>
          </Table>
          <Text fw={600} size="sm">
            Custom fields
          </Text>
          {Object.keys(d.fields).length === 0 ? (
            <Text size="sm" c="dimmed">
              None. Extra CSV columns and JSON properties become custom fields, for {'{{placeholders}}'} in
              messages.
            </Text>
          ) : (
            <Table withTableBorder verticalSpacing={4} data-testid="detail-fields">
              <Table.Tbody>
                {Object.entries(d.fields).map(([name, value]) => (
                  <Field key={name} label={name}>
                    {value}
                  </Field>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Text fw={600} size="sm">
            Delivery history
          </Text>
          {d.deliveries.length === 0 ? (
            <Text size="sm" c="dimmed">
              No campaign has sent to this subscription yet.
            </Text>
          ) : (
            <Table withTableBorder verticalSpacing={4} fz="sm" data-testid="detail-deliveries">
              <TableHead columns={['Campaign', 'Result', 'When']} />
              <Table.Tbody>
                {d.deliveries.map((delivery) => (
                  <Table.Tr key={delivery.campaignId}>
                    <Table.Td>{delivery.campaignName}</Table.Td>
                    <Table.Td>
                      {[delivery.state, delivery.httpStatus, delivery.reason]
                        .filter((part) => part !== null)
                        .join(' · ')}
                    </Table.Td>
                    <Table.Td>{when(delivery.updatedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
