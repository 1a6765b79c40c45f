// The release of one zone as two table cells, the subscriber's clock (with a note when quiet hours held or
// skipped it) and the user's: shared by the schedule preview and the campaign's zone progress.
import { Table, Text } from '@mantine/core';
import type { ZonePlanEntry } from '../../../../../shared/delivery-time.ts';
import { formatZoneTime } from '../format.ts';

export function ZoneReleaseCells({ zone }: { zone: ZonePlanEntry }) {
  return (
    <>
      <Table.Td>
        {zone.localRelease}
        {zone.quietHours && (
          <Text span size="xs" c="orange.8">
            {' '}
            ({zone.quietHours === 'held' ? 'held: quiet hours' : 'skipped: quiet hours'})
          </Text>
        )}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatZoneTime(zone.releaseAt)}</Table.Td>
    </>
  );
}
