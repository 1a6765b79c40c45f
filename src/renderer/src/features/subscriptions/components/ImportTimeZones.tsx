// What an import made of its time zone column (timezone, tz or time_zone): how many rows got a zone, and
// the values it did not understand, with their rows and reasons; those rows are imported without a zone.
import { Alert, Table, Text } from '@mantine/core';
import { timeZoneNotices, type ImportTimeZones } from '../../../../../shared/subscriptions.ts';
import { TableHead } from '../../../components/TableHead.tsx';

export function ImportTimeZonesNote({ zones }: { zones: ImportTimeZones }) {
  if (zones.set === 0 && zones.notices === 0) return null;
  if (zones.notices === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="import-time-zones">
        {zones.set.toLocaleString()} row{zones.set === 1 ? '' : 's'} came with a time zone.
      </Text>
    );
  }
  const one = zones.notices === 1;
  return (
    <Alert color="yellow" title="Some time zones were not understood" data-testid="import-time-zones">
      <Text size="sm" mb="xs">
        {zones.notices.toLocaleString()} row{one ? '' : 's'} had a time zone Pushdeck does not know:{' '}
        {one ? 'it was' : 'they were'} imported without one, so the app&apos;s default zone applies to{' '}
        {one ? 'it' : 'them'}. {zones.set.toLocaleString()} other row{zones.set === 1 ? '' : 's'} came with a
        zone. Set a zone in a subscription&apos;s drawer, or fix the file (IANA names such as Europe/Berlin)
        and import it again.
      </Text>
      <Table fz="xs" withTableBorder>
        <TableHead columns={['Row', 'Value', 'Why']} />
        <Table.Tbody>
          {zones.samples.slice(0, 8).map((sample) => (
            <Table.Tr key={sample.row}>
              <Table.Td>{sample.row}</Table.Td>
              <Table.Td>{sample.value}</Table.Td>
              <Table.Td>{timeZoneNotices[sample.reason]}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {zones.notices > 8 && (
        <Text size="xs" c="dimmed" mt={4}>
          and {(zones.notices - 8).toLocaleString()} more.
        </Text>
      )}
    </Alert>
  );
}
