// Settings: where the data lives, the versions that run, how keys are protected, and how sends go out.
import { Alert, Badge, Card, Loader, Table, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { doctorReportQuery, sendingSettingsQuery } from '../queries.ts';
import { SendingSettingsCard } from './SendingSettingsCard.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';

export function SettingsPage() {
  const report = useQuery(doctorReportQuery());
  const sending = useQuery(sendingSettingsQuery());
  return (
    <>
      <PageHeader
        title="Settings"
        description="Where Pushdeck keeps its data, how your keys are protected, and how sends reach push services."
      />
      {report.isPending && <Loader aria-label="Loading" />}
      <ErrorAlert error={report.error} title="Could not read the settings" />
      {report.data && (
        <>
          {report.data.keyProtection.warning && (
            <Alert color="yellow" icon={<IconAlertTriangle />} title="Key protection" mb="md">
              {report.data.keyProtection.warning}
            </Alert>
          )}
          <Card withBorder padding="lg">
            <Table variant="vertical" layout="fixed" withRowBorders>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th w={200}>Database</Table.Th>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {report.data.dbPath}
                    </Text>
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Schema version</Table.Th>
                  <Table.Td>{report.data.schemaVersion}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Key protection</Table.Th>
                  <Table.Td>
                    <Badge mr="sm" color={report.data.keyProtection.warning ? 'yellow' : 'green'}>
                      {report.data.keyProtection.mode}
                    </Badge>
                    {report.data.keyProtection.description}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Versions</Table.Th>
                  <Table.Td>
                    Pushdeck {report.data.pushdeckVersion} · Node.js {report.data.nodeVersion} · SQLite{' '}
                    {report.data.sqliteVersion}
                    {report.data.electronVersion ? ` · Electron ${report.data.electronVersion}` : ''}
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Card>
        </>
      )}
      {sending.data && <SendingSettingsCard settings={sending.data} />}
    </>
  );
}
