// Every app with its key's fingerprint and protection; a click makes it the current app.
import { Card, Table, Text } from '@mantine/core';
import type { AppSummary } from '../../../../../shared/apps.ts';
import { ProtectionBadge } from '../../keys/components/ProtectionBadge.tsx';
import { TableHead } from '../../../components/TableHead.tsx';

export function AppsTable(props: {
  apps: readonly AppSummary[];
  currentId: number | null;
  onSelect: (id: number) => void;
}) {
  return (
    <Card withBorder padding={0} mb="lg">
      <Table highlightOnHover verticalSpacing="sm" aria-label="Apps">
        <TableHead columns={['App', 'Subject', 'Key fingerprint', 'Protection']} />
        <Table.Tbody>
          {props.apps.map((app) => (
            <Table.Tr
              key={app.id}
              onClick={() => props.onSelect(app.id)}
              aria-selected={app.id === props.currentId}
              bg={app.id === props.currentId ? 'var(--mantine-primary-color-light)' : undefined}
              style={{ cursor: 'pointer' }}
            >
              <Table.Td>
                <Text
                  component="button"
                  type="button"
                  fw={app.id === props.currentId ? 600 : 400}
                  style={{ background: 'none', border: 0, padding: 0, cursor: 'pointer', color: 'inherit' }}
                  onClick={() => props.onSelect(app.id)}
                >
                  {app.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{app.subject}</Text>
              </Table.Td>
              <Table.Td>
                <Text ff="monospace" size="sm">
                  {app.fingerprint ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <ProtectionBadge app={app} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
