// Schedules a draft: at one instant for everyone (a day and a time, to the second, in the user's zone), or
// at a clock time in each subscriber's own zone on a day; with the campaign's quiet-hours and cap choices.
import { Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { DatePickerInput, TimeInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { CampaignDetail } from '../../../../../shared/campaigns.ts';
import type { DeliveryTiming } from '../../../../../shared/delivery-time.ts';
import { appListQuery } from '../../apps/queries.ts';
import { formatStartTime, userTimeZone } from '../format.ts';
import { useScheduleCampaign } from '../mutations.ts';
import { LocalTimeFields, type LocalTimeChoice } from './LocalTimeFields.tsx';
import { PolicyFields, type PolicyChoice } from './PolicyFields.tsx';

type Mode = 'instant' | 'local';

function initialLocal(detail: CampaignDetail): LocalTimeChoice {
  const stored = detail.timing?.timing.localTime;
  return stored
    ? { date: stored.date, time: stored.time, pastZones: stored.pastZones }
    : { date: dayjs().add(1, 'day').format('YYYY-MM-DD'), time: '09:00', pastZones: 'next-day' };
}

export function ScheduleForm(props: { detail: CampaignDetail; onDone: () => void }) {
  const { detail } = props;
  const schedule = useScheduleCampaign();
  const apps = useQuery(appListQuery());
  const delivery = apps.data?.find((a) => a.id === detail.appId)?.delivery ?? null;
  const [mode, setMode] = useState<Mode>(detail.timing?.timing.localTime ? 'local' : 'instant');
  const initial =
    detail.scheduledAt !== null ? dayjs(detail.scheduledAt) : dayjs().add(1, 'hour').startOf('hour');
  const [date, setDate] = useState<string | null>(initial.format('YYYY-MM-DD'));
  const [time, setTime] = useState(initial.format('HH:mm:ss'));
  const [local, setLocal] = useState<LocalTimeChoice>(() => initialLocal(detail));
  const [policy, setPolicy] = useState<PolicyChoice>({
    quietHours: detail.timing?.timing.quietHours ?? 'hold',
    frequencyCap: detail.timing?.timing.frequencyCap ?? 'apply',
  });
  // A wall-clock date and time without a zone: dayjs reads them in the user's zone.
  const parsed = date && /^\d{2}:\d{2}(:\d{2})?$/.test(time) ? dayjs(`${date} ${time}`) : null;
  const at = parsed?.isValid() ? parsed.valueOf() : null;
  const localValid = /^([01]\d|2[0-3]):[0-5]\d$/.test(local.time) && local.date !== '';
  const timing: DeliveryTiming = {
    ...(mode === 'local' ? { localTime: local } : {}),
    quietHours: policy.quietHours,
    frequencyCap: policy.frequencyCap,
  };
  const ready = mode === 'local' ? localValid : at !== null;

  const submit = () =>
    schedule.mutate(
      { campaignId: detail.id, at: mode === 'local' ? 'local' : at!, timing },
      {
        onSuccess: () => {
          notifications.show({
            color: 'teal',
            message:
              mode === 'local'
                ? `Scheduled for ${local.time} in each subscriber's time zone on ${dayjs(local.date).format('ddd D MMM YYYY')}`
                : `Scheduled for ${formatStartTime(at)}`,
          });
          props.onDone();
        },
      },
    );

  return (
    <Stack
      component="form"
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) submit();
      }}
    >
      <SegmentedControl
        aria-label="When"
        fullWidth
        value={mode}
        onChange={(value) => setMode(value as Mode)}
        data={[
          { value: 'instant', label: 'Everyone at once' },
          { value: 'local', label: "In each subscriber's zone" },
        ]}
      />
      {mode === 'instant' ? (
        <>
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
        </>
      ) : (
        <LocalTimeFields
          appId={detail.appId}
          audience={detail.audience}
          value={local}
          onChange={setLocal}
          timing={localValid ? timing : null}
        />
      )}
      <PolicyFields delivery={delivery} value={policy} onChange={setPolicy} />
      <Text size="sm" c="dimmed">
        Pushdeck starts it when the time comes while the app runs; on a machine where it does not run, call{' '}
        <code>pushdeck campaign run-due</code> from cron.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onDone}>
          Back
        </Button>
        <Button type="submit" disabled={!ready} loading={schedule.isPending}>
          Schedule
        </Button>
      </Group>
    </Stack>
  );
}
