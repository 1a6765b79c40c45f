// Audit: the append-only log of sends, key changes, imports and deletions — who, what, when.
import { Button, Card, Code, Group, Loader, Select, Table, Text } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditLogEntry } from '../../../../../shared/audit.ts';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { appListQuery } from '../../apps/queries.ts';
import { auditActionsQuery, auditListQuery, type AuditFilter } from '../queries.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { TableHead } from '../../../components/TableHead.tsx';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** `key.create` → family `key.`: the filter offers both. */
function actionOptions(actions: string[]): { value: string; label: string }[] {
  const families = [...new Set(actions.filter((a) => a.includes('.')).map((a) => `${a.split('.')[0]}.`))];
  return [
    ...families.map((f) => ({ value: f, label: `${f}* (all)` })),
    ...actions.map((a) => ({ value: a, label: a })),
  ];
}

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

function AuditRow({ entry }: { entry: AuditLogEntry }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {dateTime.format(entry.at)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={entry.actor === 'cli' ? 'dimmed' : undefined}>
          {entry.actor === 'cli' ? 'CLI' : 'App'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Code>{entry.action}</Code>
      </Table.Td>
      <Table.Td>{entry.appName ?? (entry.appId !== null ? `#${entry.appId}` : '—')}</Table.Td>
      <Table.Td>{entry.subject ?? ''}</Table.Td>
      <Table.Td>
        <Text size="xs" c="dimmed" lineClamp={2}>
          {detailsText(entry.details)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

export function AuditPage() {
  const [filter, setFilter] = useState<AuditFilter>({});
  const log = useInfiniteQuery(auditListQuery(filter));
  const actions = useQuery(auditActionsQuery());
  const apps = useQuery(appListQuery());
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];
  const filtered = filter.action !== undefined || filter.appId !== undefined;

  return (
    <>
      <PageHeader
        title="Audit"
        description="Every send, key change, import and deletion, newest first. The log can only grow."
      />
      <Group mb="md" gap="sm">
        <Select
          label="Action"
          placeholder="All actions"
          clearable
          searchable
          data={actionOptions(actions.data ?? [])}
          value={filter.action ?? null}
          onChange={(value) => setFilter((f) => ({ ...f, action: value ?? undefined }))}
          w={240}
        />
        <Select
          label="App"
          placeholder="All apps"
          clearable
          data={(apps.data ?? []).map((a) => ({ value: String(a.id), label: a.name }))}
          value={filter.appId !== undefined ? String(filter.appId) : null}
          onChange={(value) => setFilter((f) => ({ ...f, appId: value ? Number(value) : undefined }))}
          w={240}
        />
      </Group>
      {log.isPending && <Loader aria-label="Loading" />}
      <ErrorAlert error={log.error} title="Could not read the audit log" />
      {log.data && entries.length === 0 && (
        <EmptyState
          icon={<IconHistory size={28} />}
          title={filtered ? 'Nothing matches these filters' : 'Nothing logged yet'}
          description="Sends, key changes, imports and deletions appear here as they happen."
        />
      )}
      {entries.length > 0 && (
        <Card withBorder padding={0}>
          <Table striped highlightOnHover aria-label="Audit log">
            <TableHead columns={['When', 'Who', 'Action', 'App', 'Subject', 'Details']} />
            <Table.Tbody>
              {entries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} />
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {log.hasNextPage && (
        <Group justify="center" mt="md">
          <Button variant="default" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
            Load older entries
          </Button>
        </Group>
      )}
    </>
  );
}
