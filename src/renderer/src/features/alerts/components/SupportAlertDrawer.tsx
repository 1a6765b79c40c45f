// The one-off alert for support staff: find a subscriber by endpoint or label, type a message, send it,
// and read the push service's own answer (status, reason, body) in a few clicks.
import {
  Alert,
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  Loader,
  Radio,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconSend } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { SubscriptionMatch } from '../../../../../shared/compose.ts';
import { call } from '../../../api/client.ts';
import { useCurrentApp } from '../../apps/current-app.ts';
import { appListQuery } from '../../apps/queries.ts';
import { isFinal, oneOffAnswerQuery, subscriberSearchQuery } from '../queries.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';

function Answer({ campaignId }: { campaignId: number }) {
  const answer = useQuery(oneOffAnswerQuery(campaignId));
  const d = answer.data;
  if (!isFinal(d)) {
    return (
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm">Waiting for the push service… {d ? `(${d.state.replace('_', ' ')})` : ''}</Text>
      </Group>
    );
  }
  const ok = d!.state === 'sent';
  const rows = [
    ['HTTP status', d!.httpStatus ?? 'no answer', 'one-off-status'],
    ['Reason', d!.reason ?? '—'],
    ['Latency', d!.latencyMs !== null ? `${d!.latencyMs} ms` : '—'],
    ['Attempts', d!.attempts],
  ] as const;
  return (
    <Alert
      color={ok ? 'teal' : d!.state === 'expired' ? 'gray' : 'red'}
      title={ok ? 'Delivered to the push service' : `Not delivered: ${d!.state}`}
      data-testid="one-off-answer"
    >
      <Table variant="vertical" fz="sm" withRowBorders={false} verticalSpacing={2}>
        <Table.Tbody>
          {rows.map(([label, value, testId]) => (
            <Table.Tr key={label}>
              <Table.Th w={110}>{label}</Table.Th>
              <Table.Td data-testid={testId}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" fw={600} mt="xs">
        Body
      </Text>
      <Code block fz="xs" style={{ whiteSpace: 'pre-wrap' }}>
        {d!.bodyExcerpt ?? '(empty)'}
      </Code>
    </Alert>
  );
}

export function SupportAlertDrawer(props: { opened: boolean; onClose: () => void }) {
  const current = useCurrentApp();
  const apps = useQuery(appListQuery());
  const [pickedAppId, setPickedAppId] = useState<number | null>(null);
  const appId = pickedAppId ?? current.app?.id ?? apps.data?.[0]?.id ?? null;
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 200);
  const [chosen, setChosen] = useState<SubscriptionMatch | null>(null);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const matches = useQuery({
    ...subscriberSearchQuery(appId ?? 0, debounced),
    enabled: appId !== null && debounced.length > 0,
  });

  const send = useMutation({
    mutationFn: async () => {
      if (appId === null || chosen === null) throw new Error('Choose a subscriber first.');
      return (await call('alerts.sendOne', { appId, subscriptionId: chosen.id, title, body })).id;
    },
  });

  function reset() {
    send.reset();
    setTitle('');
    setBody('');
  }

  return (
    <Drawer opened={props.opened} onClose={props.onClose} position="right" size="lg" title="One-off alert">
      <Stack>
        <Select
          label="App"
          data={(apps.data ?? []).map((a) => ({ value: String(a.id), label: a.name }))}
          value={appId !== null ? String(appId) : null}
          onChange={(v) => {
            setPickedAppId(v ? Number(v) : null);
            setChosen(null);
          }}
          allowDeselect={false}
        />
        <TextInput
          label="Find the subscriber"
          placeholder="Endpoint or label"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          data-autofocus
        />
        {matches.isFetching && <Loader size="xs" />}
        {matches.data && matches.data.length === 0 && (
          <Text size="sm" c="dimmed">
            No active subscription matches.
          </Text>
        )}
        {matches.data && matches.data.length > 0 && (
          <ScrollArea.Autosize mah={220}>
            <Radio.Group
              value={chosen ? String(chosen.id) : null}
              onChange={(v) => setChosen(matches.data.find((m) => String(m.id) === v) ?? null)}
              aria-label="Matching subscribers"
            >
              <Stack gap={6}>
                {matches.data.map((m) => (
                  <Radio
                    key={m.id}
                    value={String(m.id)}
                    label={
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" fw={500}>
                          {m.label ?? `#${m.id}`}
                        </Text>
                        <Badge size="xs" variant="light">
                          {m.pushService}
                        </Badge>
                      </Group>
                    }
                    description={
                      <Text size="xs" ff="monospace" truncate="end" maw={520}>
                        {m.endpoint}
                      </Text>
                    }
                  />
                ))}
              </Stack>
            </Radio.Group>
          </ScrollArea.Autosize>
        )}
        <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <Textarea
          label="Message"
          autosize
          minRows={2}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
        />
        <Group justify="space-between">
          {send.data !== undefined ? (
            <Button variant="default" onClick={reset}>
              New alert
            </Button>
          ) : (
            <span />
          )}
          <Button
            leftSection={<IconSend size={16} />}
            disabled={chosen === null || title.trim() === '' || send.data !== undefined}
            loading={send.isPending}
            onClick={() => send.mutate()}
          >
            Send to {chosen ? (chosen.label ?? `#${chosen.id}`) : 'subscriber'}
          </Button>
        </Group>
        <ErrorAlert error={send.error} title="Not sent" />
        {send.data !== undefined && <Answer campaignId={send.data} />}
      </Stack>
    </Drawer>
  );
}
