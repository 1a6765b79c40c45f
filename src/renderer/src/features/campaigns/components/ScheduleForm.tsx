// Picks the day and the time (typed, to the second) at which a draft starts, in the user's time zone.
import { Button, Group, Stack, Text } from '@mantine/core';
import { DatePickerInput, TimeInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { CampaignDetail } from '../../../../../shared/campaigns.ts';
import { formatStartTime, userTimeZone } from '../format.ts';
import { useScheduleCampaign } from '../mutations.ts';

export function ScheduleForm(props: { detail: CampaignDetail; onDone: () => void }) {
  const schedule = useScheduleCampaign();
  const initial =
    props.detail.scheduledAt !== null
      ? dayjs(props.detail.scheduledAt)
      : dayjs().add(1, 'hour').startOf('hour');
  const [date, setDate] = useState<string | null>(initial.format('YYYY-MM-DD'));
  const [time, setTime] = useState(initial.format('HH:mm:ss'));
  // A wall-clock date and time without a zone: dayjs reads them in the user's zone.
  const parsed = date && /^\d{2}:\d{2}(:\d{2})?$/.test(time) ? dayjs(`${date} ${time}`) : null;
  const at = parsed?.isValid() ? parsed.valueOf() : null;
  return (
    <Stack>
      <Group grow align="flex-start">
        <DatePickerInput
          label="Day"
          value={date}
          onChange={setDate}
          minDate={dayjs().format('YYYY-MM-DD')}
          valueFormat="ddd D MMM YYYY"
        />
        <TimeInput
          label="Time"
          withSeconds
          value={time}
          onChange={(e) => setTime(e.currentTarget.value)}
          data-autofocus
        />
      </Group>
      <Text size="sm">
        {at !== null ? `Starts ${formatStartTime(at)}` : 'Pick a day and a time'}, in your time zone (
        {userTimeZone()}).
      </Text>
      <Text size="sm" c="dimmed">
        Pushdeck starts it when the time comes while the app runs; on a machine where it does not run, call{' '}
        <code>pushdeck campaign run-due</code> from cron.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onDone}>
          Back
        </Button>
        <Button
          disabled={at === null}
          loading={schedule.isPending}
          onClick={() =>
            at !== null &&
            schedule.mutate(
              { campaignId: props.detail.id, at },
              {
                onSuccess: () => {
                  notifications.show({ color: 'teal', message: `Scheduled for ${formatStartTime(at)}` });
                  props.onDone();
                },
              },
            )
          }
        >
          Schedule
        </Button>
      </Group>
    </Stack>
  );
}
