// "At HH:MM in each subscriber's time zone on DATE": the day, the clock time, what happens to zones already
// past it, and the plan the core makes of it (each zone's release, the last zone's ETA, who is held back).
import { Alert, Group, Loader, Radio, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { DatePickerInput, TimeInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import type { AudienceFilter } from '../../../../../shared/compose.ts';
import type { DeliveryTiming } from '../../../../../shared/delivery-time.ts';
import { formatCount, formatFromNow, formatStartTime, userTimeZone } from '../format.ts';
import { zonePlanQuery } from '../queries.ts';
import { ZoneReleaseCells } from './ZoneReleaseCells.tsx';

export interface LocalTimeChoice {
  date: string;
  time: string;
  pastZones: 'now' | 'next-day';
}

export function LocalTimeFields(props: {
  appId: number;
  audience: AudienceFilter;
  value: LocalTimeChoice;
  onChange: (value: LocalTimeChoice) => void;
  /** The whole timing once the fields are valid, for the plan; null while they are not. */
  timing: DeliveryTiming | null;
}) {
  const { value } = props;
  const change = (patch: Partial<LocalTimeChoice>) => props.onChange({ ...value, ...patch });
  return (
    <Stack gap="sm">
      <Group grow align="flex-start">
        <DatePickerInput
          label="Day"
          value={value.date || null}
          onChange={(date) => change({ date: date ?? '' })}
          // Zones west of the user still reach yesterday's date for hours.
          minDate={dayjs().subtract(1, 'day').format('YYYY-MM-DD')}
          valueFormat="ddd D MMM YYYY"
        />
        <TimeInput
          label="Local time"
          description="In each subscriber's time zone"
          value={value.time}
          onChange={(e) => change({ time: e.currentTarget.value })}
          data-autofocus
        />
      </Group>
      <Radio.Group
        label="Zones already past that time when it starts"
        value={value.pastZones}
        onChange={(v) => change({ pastZones: v as LocalTimeChoice['pastZones'] })}
      >
        <Group gap="lg" mt={6}>
          <Radio value="now" label="Send to them at once" />
          <Radio value="next-day" label="Send the next day at that time" />
        </Group>
      </Radio.Group>
      {props.timing ? (
        <ZonePlan appId={props.appId} audience={props.audience} timing={props.timing} />
      ) : (
        <Text size="sm" c="red">
          Type the local time as HH:MM (24 hours), e.g. 09:00, and pick a day.
        </Text>
      )}
    </Stack>
  );
}

function ZonePlan(props: { appId: number; audience: AudienceFilter; timing: DeliveryTiming }) {
  const [timing] = useDebouncedValue(props.timing, 250);
  const plan = useQuery(zonePlanQuery(props.appId, props.audience, timing));
  if (plan.error) {
    return (
      <Alert color="red" title="This cannot be scheduled" data-testid="zone-plan-error">
        {plan.error.message}
      </Alert>
    );
  }
  if (!plan.data) return <Loader size="sm" aria-label="Planning" />;
  const { zones, lastAt, heldBack } = plan.data;
  if (zones.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="zone-plan">
        Nobody in this audience: there is nothing to plan.
      </Text>
    );
  }
  const recipients = zones.reduce((sum, z) => sum + z.recipients, 0);
  return (
    <Stack gap={6} data-testid="zone-plan">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {formatCount(recipients)} recipients in {formatCount(zones.length)} time zone
          {zones.length === 1 ? '' : 's'}
        </Text>
        {plan.isFetching && <Loader size="xs" />}
      </Group>
      {lastAt !== null && (
        <Text size="sm" data-testid="last-zone-eta">
          The last zone gets it {formatStartTime(lastAt)} your time ({userTimeZone()}),{' '}
          {formatFromNow(lastAt)}.
        </Text>
      )}
      {heldBack && heldBack.frequencyCap + heldBack.quietHours > 0 && (
        <Text size="sm" c="orange.8" data-testid="zone-plan-held-back">
          {heldBack.frequencyCap > 0 &&
            `${formatCount(heldBack.frequencyCap)} skipped by the frequency cap. `}
          {heldBack.quietHours > 0 &&
            `${formatCount(heldBack.quietHours)} ${
              heldBack.quietHoursPolicy === 'skip' ? 'skipped' : 'held'
            } by quiet hours.`}
        </Text>
      )}
      <ScrollArea.Autosize mah={200} type="auto">
        <Table verticalSpacing={2} fz="sm" stickyHeader aria-label="Release per time zone">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time zone</Table.Th>
              <Table.Th>Their time</Table.Th>
              <Table.Th>Your time</Table.Th>
              <Table.Th ta="right">Recipients</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {zones.map((z) => (
              <Table.Tr key={z.timeZone} data-zone={z.timeZone}>
                <Table.Td>{z.timeZone}</Table.Td>
                <ZoneReleaseCells zone={z} />
                <Table.Td ta="right">{formatCount(z.recipients)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
}
